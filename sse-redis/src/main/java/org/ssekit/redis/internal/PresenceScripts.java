package org.ssekit.redis.internal;

/**
 * The Lua scripts of presence ({@link NodePresence}). Each node keeps its members in a set {@code
 * <prefix>presence:<origin>} (one field per topic and principal, see {@link #field}), and its lease
 * in the sorted set {@code <prefix>presence} (origin to the Redis time, in ms, at which its lease
 * ends).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class PresenceScripts {
  /** The shared head: {@code now()} is Redis' clock in ms. */
  private static final String NOW =
      """
      local function now()
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      """;

  /**
   * A change of this node's members. KEYS: the lease set, this node's member set, the control
   * stream. ARGV: origin, the member field, {@code 1} (joined) or {@code 0} (left), the lease in
   * ms, the topic, the principal, the control stream's MAXLEN. Updates the member set, renews the
   * lease and adds the control entry that the other nodes' readers apply ({@code o}, {@code p},
   * {@code t}, {@code u}), in one step. Returns 1.
   */
  static final Scripts.Script CHANGE =
      new Scripts.Script(
          "presence-change",
          NOW
              + """
      if ARGV[3] == '1' then
        redis.call('SADD', KEYS[2], ARGV[2])
      else
        redis.call('SREM', KEYS[2], ARGV[2])
      end
      redis.call('PEXPIRE', KEYS[2], ARGV[4])
      redis.call('ZADD', KEYS[1], now() + tonumber(ARGV[4]), ARGV[1])
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*',
        'o', ARGV[1], 'p', ARGV[3], 't', ARGV[5], 'u', ARGV[6])
      return 1
      """);

  /**
   * Renews this node's lease and reads everybody else's members. KEYS: the lease set, this node's
   * member set, the control stream. ARGV: origin, the lease in ms, the prefix of member set keys,
   * then every member field of this node. Rewrites this node's member set, renews its lease, drops
   * the nodes whose lease ended (and their sets), and returns {@code {controlHead, origin1,
   * {fields...}, origin2, {fields...}, ...}} for the other live nodes: {@code controlHead} is the
   * control stream's newest entry id ({@code 0-0} if none), so that the reader applies only the
   * changes after this snapshot.
   */
  static final Scripts.Script RENEW =
      new Scripts.Script(
          "presence-renew",
          NOW
              + """
      local t = now()
      local lease = tonumber(ARGV[2])
      redis.call('DEL', KEYS[2])
      for i = 4, #ARGV, 500 do
        redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 499, #ARGV)))
      end
      if #ARGV >= 4 then
        redis.call('PEXPIRE', KEYS[2], lease)
      end
      redis.call('ZADD', KEYS[1], t + lease, ARGV[1])
      local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. t)
      for _, node in ipairs(dead) do
        redis.call('ZREM', KEYS[1], node)
        redis.call('DEL', ARGV[3] .. node)
      end
      local head = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
      local out = {head[1] and head[1][1] or '0-0'}
      for _, node in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        if node ~= ARGV[1] then
          out[#out + 1] = node
          out[#out + 1] = redis.call('SMEMBERS', ARGV[3] .. node)
        end
      end
      return out
      """);

  private PresenceScripts() {}

  /** Returns the member field of {@code principal} on {@code topic}: unambiguous, any chars. */
  static String field(String topic, String principal) {
    return topic.length() + ":" + topic + principal;
  }

  /** Returns {@code {topic, principal}} of a member field, or null if it is not one. */
  static String[] parseField(String field) {
    int colon = field.indexOf(':');
    try {
      int length = Integer.parseInt(field.substring(0, Math.max(colon, 0)));
      if (colon < 1 || length < 1 || colon + 1 + length >= field.length()) {
        return null;
      }
      return new String[] {
        field.substring(colon + 1, colon + 1 + length), field.substring(colon + 1 + length)
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
