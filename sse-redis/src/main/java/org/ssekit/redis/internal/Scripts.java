package org.ssekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The Lua scripts of the log. Each works on one topic's two keys (its stream and its meta hash,
 * which share a hash tag and so a Cluster slot), atomically.
 *
 * <p>The meta hash holds {@code epoch} (the incarnation's random epoch), {@code n} (how many events
 * the incarnation appended), {@code last} (the newest entry id, event or closing) and {@code
 * closed}. A stream without a meta hash belongs to no incarnation (its meta expired first, or was
 * deleted): the scripts that start an incarnation delete it, and the others treat it as absent.
 * Every entry of a stream therefore belongs to the epoch in its meta hash.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class Scripts {
  /**
   * Appends an event. KEYS: stream, meta. ARGV: candidate epoch, physical MAXLEN, physical minimum
   * age in ms (0: none), idle expiry in ms (0: none), then the event's field-value pairs. Returns
   * {@code {"closed"}} or {@code {"ok", epoch, id, n}}.
   */
  static final Script APPEND =
      new Script(
          "append",
          """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed')
      if meta[2] then
        return {'closed'}
      end
      local epoch = meta[1]
      if not epoch then
        epoch = ARGV[1]
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'epoch', epoch)
      end
      local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
      local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', epoch, 'n', n}
      for i = 5, #ARGV do
        args[#args + 1] = ARGV[i]
      end
      local id = redis.call(unpack(args))
      redis.call('HSET', KEYS[2], 'last', id)
      local minAge = tonumber(ARGV[3])
      if minAge > 0 then
        local t = redis.call('TIME')
        local floor = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - minAge
        if floor > 0 then
          redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', floor))
        end
      end
      local ttl = tonumber(ARGV[4])
      if ttl > 0 then
        redis.call('PEXPIRE', KEYS[1], ttl)
        redis.call('PEXPIRE', KEYS[2], ttl)
      end
      return {'ok', epoch, id, tostring(n)}
      """);

  /**
   * Returns where a node starts reading a topic it follows. KEYS: stream, meta. Returns {@code
   * {last, epoch, n}}: the newest entry id ({@code 0-0} if none), and the incarnation's epoch and
   * event count (false if there is no incarnation).
   */
  static final Script FOLLOW =
      new Script(
          "follow",
          """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'n', 'last')
      if not meta[1] then
        redis.call('DEL', KEYS[1])
        return {'0-0', false, false}
      end
      return {meta[3] or '0-0', meta[1], meta[2] or '0'}
      """);

  /**
   * Looks up a replay. KEYS: stream, meta. ARGV: mode ({@code head}: the newest id only; {@code
   * retained}: and the newest entries; {@code after}: and the entries from an id), the entry id
   * (for {@code after}), its epoch, and the retention's maximum event count. Returns {@code
   * {"closed"}}, {@code {"empty"}}, or {@code {"ok", epoch, last, nowMs, from, window}} where
   * {@code from} is up to max + 2 entries from the id on (inclusive) or false, and {@code window}
   * the newest max + 1 entries, newest first, or false when {@code from} shows that the id is
   * retained (or is the newest).
   */
  static final Script OPEN =
      new Script(
          "open",
          """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed', 'last')
      if meta[2] then
        return {'closed'}
      end
      if not meta[1] then
        return {'empty'}
      end
      local last = meta[3] or '0-0'
      local t = redis.call('TIME')
      local now = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
      local max = tonumber(ARGV[4])
      local mode = ARGV[1]
      if mode == 'head' then
        return {'ok', meta[1], last, now, false, false}
      end
      local from = false
      if mode == 'after' and ARGV[3] == meta[1] then
        from = redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', max + 2)
        if ARGV[2] == last or (#from > 0 and from[1][1] == ARGV[2] and #from <= max + 1) then
          return {'ok', meta[1], last, now, from, false}
        end
      end
      local window = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', max + 1)
      return {'ok', meta[1], last, now, from, window}
      """);

  /**
   * Closes a topic. KEYS: stream, meta. ARGV: expiry in ms, candidate epoch. Appends the closing
   * entry that every node's reader turns into {@code onTopicClosed}, and lets both keys expire.
   * Returns {@code {"closed", id}}, or {@code {"already"}} if the topic was closed before.
   */
  static final Script CLOSE =
      new Script(
          "close",
          """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed')
      if meta[2] then
        return {'already'}
      end
      if not meta[1] then
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'epoch', ARGV[2])
      end
      local id = redis.call('XADD', KEYS[1], '*', 'closed', '1')
      redis.call('HSET', KEYS[2], 'closed', '1', 'last', id)
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[2], ARGV[1])
      return {'closed', id}
      """);

  /** Every script. */
  static final List<Script> ALL = List.of(APPEND, FOLLOW, OPEN, CLOSE);

  private Scripts() {}

  /** A script's text and SHA-1 digest, for {@code EVALSHA} with {@code EVAL} as the fallback. */
  record Script(String name, String text, String sha) {
    Script(String name, String text) {
      this(name, text, sha1(text));
    }

    private static String sha1(String text) {
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(40);
        for (byte b : digest) {
          hex.append(Character.forDigit((b >> 4) & 0xf, 16))
              .append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is missing from this JDK", e);
      }
    }
  }
}
