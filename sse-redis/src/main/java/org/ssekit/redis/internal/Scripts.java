package org.ssekit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The Lua scripts of the log. The topic scripts work on one topic's two keys (its stream and its
 * meta hash, which share a hash tag and so a Cluster slot) and on the log's index stream and its
 * counter, atomically.
 *
 * <p>The meta hash holds {@code epoch} (the incarnation's random epoch), {@code n} (how many events
 * the incarnation appended), {@code last} (the newest entry id, event or closing) and {@code
 * closed}. A stream without a meta hash belongs to no incarnation (its meta expired first, or was
 * deleted): the scripts that start an incarnation delete it, and the others treat it as absent.
 * Every entry of a stream therefore belongs to the epoch in its meta hash.
 *
 * <p><b>An idle topic's events expire before the topic does.</b> The stream expires after the idle
 * time ({@link StreamTrim#minAgeMillis}), its meta hash only after {@link
 * StreamTrim#metaTtlMillis}: until then the incarnation goes on, so a client that presents its
 * newest id missed nothing and is known (no false gap notice). An append that finds the meta hash
 * without its stream notes, as {@code base} and {@code basen}, the newest id and count of the
 * events that expired, so that a client presenting {@code base} is given every event since, if
 * Redis still holds them all.
 *
 * <p><b>One order for the whole log.</b> Every append and closing is first added to the index
 * stream, whose entry id Redis assigns ({@code *}), and then to the topic's stream under that same
 * id: the id is a position in the one log-wide order and, within the topic, in the topic's order.
 * The index entry repeats the topic name and the event, so that a node's reader learns of every
 * append with one blocking read of one key. If a topic's newest entry is newer than the index's
 * newest (the index was lost while the topic was not), the index entry gets the id right after the
 * topic's instead, so that both streams only ever grow.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class Scripts {
  /**
   * The shared head of the topic scripts: {@code logId(topicLast)} returns the id to give the next
   * index entry ({@code *}, or the one after {@code topicLast}); see the class comment.
   */
  private static final String LOG_ORDER =
      """
      local function parseId(id)
        local ms, seq = string.match(id, '^(%d+)-(%d+)$')
        return ms, tonumber(seq)
      end
      local function logId(topicLast)
        if not topicLast then
          return '*'
        end
        local newest = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
        local tms, tseq = parseId(topicLast)
        if newest[1] then
          local lms, lseq = parseId(newest[1][1])
          if tonumber(tms) < tonumber(lms) or (tms == lms and tseq <= lseq) then
            return '*'
          end
        end
        return tms .. '-' .. string.format('%.0f', tseq + 1)
      end
      """;

  /**
   * The shared head of the lookup scripts: {@code preLoss(lossKey, id)} is true if the entry id
   * {@code id} is older than the log's loss mark (the key {@code lossKey}). A node whose reader
   * finds that Redis lost entries (the log-wide counter went back, or the index no longer holds
   * what the node read) moves the mark up to the first entry after the loss ({@link #MARK_LOST}). A
   * client that presents an id from before it may have missed the lost entries, whatever its topic:
   * its id is unknown, and it gets the gap notice. Without this, a Redis restored from an older
   * snapshot keeps its epochs, and such an id would resume "exactly" past the loss.
   */
  static final String LOSS_MARK =
      """
      local function olderId(a, b)
        local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
        local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
        if not ams or not bms then
          return false
        end
        ams, bms = tonumber(ams), tonumber(bms)
        return ams < bms or (ams == bms and tonumber(aseq) < tonumber(bseq))
      end
      local function preLoss(lossKey, id)
        local mark = redis.call('GET', lossKey)
        return mark and olderId(id, mark)
      end
      """;

  /**
   * Moves the log's loss mark (see {@link #LOSS_MARK}) up to an entry id, never down. KEYS: the
   * loss mark. ARGV: the id. Returns the mark.
   */
  static final Script MARK_LOST =
      new Script(
          "mark-lost",
          LOSS_MARK
              + """
      if not preLoss(KEYS[1], ARGV[1]) then
        redis.call('SET', KEYS[1], ARGV[1])
      end
      return redis.call('GET', KEYS[1])
      """);

  /**
   * Appends an event. KEYS: see {@link TopicKeys#scriptKeys}. ARGV: candidate epoch, the topic's
   * physical MAXLEN, physical minimum age in ms (0: none), idle expiry of the stream in ms (0:
   * none), the index's physical MAXLEN, the topic name, the expiry of the meta hash in ms (0:
   * none), then the event's field-value pairs. Returns {@code {"closed"}} or {@code {"ok", epoch,
   * id, n}}.
   */
  static final Script APPEND =
      new Script(
          "append",
          LOG_ORDER
              + """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed', 'last', 'n')
      if meta[2] then
        return {'closed'}
      end
      local epoch = meta[1]
      local topicLast = meta[3]
      if not epoch then
        epoch = ARGV[1]
        topicLast = false
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'epoch', epoch)
      elseif topicLast and redis.call('EXISTS', KEYS[1]) == 0 then
        redis.call('HSET', KEYS[2], 'base', topicLast, 'basen', meta[4] or '0')
      end
      local n = redis.call('HINCRBY', KEYS[2], 'n', 1)
      local g = redis.call('INCR', KEYS[4])
      local index = {'XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], logId(topicLast),
        'k', ARGV[6], 'e', epoch, 'n', n, 'g', g}
      local entry = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '', 'e', epoch, 'n', n}
      for i = 8, #ARGV do
        index[#index + 1] = ARGV[i]
        entry[#entry + 1] = ARGV[i]
      end
      local id = redis.call(unpack(index))
      entry[6] = id
      redis.call(unpack(entry))
      redis.call('HSET', KEYS[2], 'last', id)
      local minAge = tonumber(ARGV[3])
      if minAge > 0 then
        local t = redis.call('TIME')
        local floor = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - minAge
        if floor > 0 then
          redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', floor))
          redis.call('XTRIM', KEYS[3], 'MINID', '~', string.format('%.0f', floor))
        end
      end
      local ttl = tonumber(ARGV[4])
      if ttl > 0 then
        redis.call('PEXPIRE', KEYS[1], ttl)
      end
      local metaTtl = tonumber(ARGV[7])
      if metaTtl > 0 then
        redis.call('PEXPIRE', KEYS[2], metaTtl)
      end
      return {'ok', epoch, id, tostring(n)}
      """);

  /**
   * Looks up a replay. KEYS: see {@link TopicKeys#scriptKeys} (the stream, the meta hash and the
   * loss mark are used; an id older than the loss mark is unknown). ARGV: mode ({@code head}: the
   * newest id only; {@code retained}: and the newest entries; {@code after}: and the entries from
   * an id), the entry id (for {@code after}), its epoch, and the retention's maximum event count.
   * Returns {@code {"closed"}}, {@code {"empty"}}, or {@code {"ok", epoch, last, nowMs, from,
   * window}} where {@code from} is up to max + 2 entries from the id on (inclusive) or false, and
   * {@code window} the newest max + 1 entries, newest first, or false when {@code from} shows that
   * the id is retained (or is the newest). When the id is the {@code base} of the incarnation (the
   * newest of its events that expired while it was idle) and the stream still holds every event
   * since, the reply is {@code {"ok", epoch, last, nowMs, since, false, "base"}}: {@code since} is
   * up to max + 1 of them, oldest first, all after the id.
   */
  static final Script OPEN =
      new Script(
          "open",
          LOSS_MARK
              + """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed', 'last', 'base', 'basen')
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
      if mode == 'after' and ARGV[3] == meta[1] and not preLoss(KEYS[5], ARGV[2]) then
        from = redis.call('XRANGE', KEYS[1], ARGV[2], '+', 'COUNT', max + 2)
        if ARGV[2] == last or (#from > 0 and from[1][1] == ARGV[2] and #from <= max + 1) then
          return {'ok', meta[1], last, now, from, false}
        end
        if ARGV[2] == meta[4] then
          local since = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', max + 1)
          local first = since[1] and since[1][2]
          if first and first[3] == 'n' and tonumber(first[4]) == tonumber(meta[5]) + 1 then
            return {'ok', meta[1], last, now, since, false, 'base'}
          end
        end
      end
      local window = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', max + 1)
      return {'ok', meta[1], last, now, from, window}
      """);

  /**
   * Closes a topic. KEYS: see {@link TopicKeys#scriptKeys}. ARGV: expiry in ms, candidate epoch,
   * the topic name, the index's physical MAXLEN. Appends the closing entry (to the index and the
   * topic's stream) that every node's reader turns into {@code onTopicClosed}, and lets the topic's
   * keys expire. Returns {@code {"closed", id}}, or {@code {"already"}} if the topic was closed
   * before.
   */
  static final Script CLOSE =
      new Script(
          "close",
          LOG_ORDER
              + """
      local meta = redis.call('HMGET', KEYS[2], 'epoch', 'closed', 'last')
      if meta[2] then
        return {'already'}
      end
      local epoch = meta[1]
      local topicLast = meta[3]
      if not epoch then
        epoch = ARGV[2]
        topicLast = false
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'epoch', epoch)
      end
      local g = redis.call('INCR', KEYS[4])
      local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], logId(topicLast),
        'k', ARGV[3], 'e', epoch, 'g', g, 'closed', '1')
      redis.call('XADD', KEYS[1], id, 'closed', '1')
      redis.call('HSET', KEYS[2], 'closed', '1', 'last', id)
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[2], ARGV[1])
      return {'closed', id}
      """);

  /** Every script. */
  static final List<Script> ALL =
      List.of(
          APPEND, OPEN, CLOSE, SelectScript.SELECT, PresenceScripts.CHANGE, PresenceScripts.RENEW);

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
