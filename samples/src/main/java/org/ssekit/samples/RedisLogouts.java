package org.ssekit.samples;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.ssekit.redis.RedisUnavailableException;

/**
 * The {@link Logouts} of demo nodes that share a Redis: each name's last logout is the key {@code
 * <prefix>logout:<name>} (the hub's log's key prefix; the log's own keys are {@code <prefix>log},
 * {@code <prefix>ctl}, {@code <prefix>presence:...} and {@code <prefix>{<topic>}...}), which every
 * node reads on every check of a cookie, so that a logout answered on one node holds on all from
 * that moment. The key expires one session lifetime plus {@link #SKEW_MARGIN} after the logout.
 *
 * <p><b>One clock.</b> Logins and logouts take their instants from Redis ({@code TIME}, in a script
 * that also reads or writes the key), not from the nodes: with clocks of two nodes apart, a login
 * on the node ahead would otherwise be issued after a logout that followed it on the node behind,
 * and survive it. In Redis' order, a login is issued after the name's last logout (at its
 * millisecond + 1 if it falls within it), and a logout is after every login issued before it (at
 * the last logout's millisecond + 1 if that is later). Only the cookie's expiry is compared with
 * the node's clock.
 *
 * <p><b>Why not the hub's revocation.</b> {@link org.ssekit.SseHub#closeStreamsEverywhere} tells
 * the other nodes through the log's control stream, and the demo uses it to end the user's streams
 * there; but it carries the principal without an instant, reaches the other nodes a moment after it
 * is recorded (a cookie would still pass on them until then), and a node that starts later reads
 * only newer announcements. A key read on every check has none of these gaps: it costs one small
 * round trip per check, and no cache is kept, as a cached instant would let a revoked cookie pass
 * on another node for the cache's lifetime (a stream reconnecting there meanwhile would last).
 *
 * <p><b>Faults:</b> commands are not queued while Redis is unreachable, nor retried: each fails at
 * once (or after the log's command timeout) with a {@code 503} {@link ChatRequestException}, and
 * the client reconnects by itself.
 *
 * <p><b>Thread safety:</b> thread-safe (Lettuce's connection is).
 */
final class RedisLogouts implements Logouts {
  /**
   * How long a logout is kept beyond one session lifetime: room for the nodes' clocks to differ.
   */
  static final Duration SKEW_MARGIN = Duration.ofMinutes(1);

  /** Redis' TIME in epoch ms. */
  private static final String NOW =
      "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";

  /** The key's logout, -1 if none. */
  private static final String LAST = "local last = tonumber(redis.call('GET', KEYS[1]) or '-1') ";

  private static final String ISSUE = NOW + LAST + "return math.max(now, last + 1)";

  /** ARGV[1]: how long to keep the logout after now, in ms. */
  private static final String LOG_OUT =
      NOW
          + LAST
          + "local at = math.max(now, last + 1) "
          // As integers: a Lua number would go to Redis in whatever format Redis picks for doubles.
          + "redis.call('SET', KEYS[1], string.format('%d', at), 'PX',"
          + " string.format('%d', tonumber(ARGV[1]) + at - now)) "
          + "return at";

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String keyPrefix;
  private final long keptMillis;
  private final Duration retryAfter;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisLogouts(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String keyPrefix,
      long keptMillis,
      Duration retryAfter) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.keyPrefix = keyPrefix;
    this.keptMillis = keptMillis;
    this.retryAfter = retryAfter;
  }

  /**
   * Connects to the Redis at {@code uri}.
   *
   * @param keyPrefix the prefix of the keys (the hub's log's)
   * @param lifetime how long a login lasts
   * @param commandTimeout how long a command may take before it fails
   * @param retryAfter the {@code Retry-After} of a {@code 503} while Redis is unreachable
   * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
   */
  static RedisLogouts connect(
      String uri,
      String keyPrefix,
      Duration lifetime,
      Duration commandTimeout,
      Duration retryAfter) {
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(commandTimeout);
    ClientResources resources =
        ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    RedisClient client = RedisClient.create(resources, redisUri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Never queued while disconnected: a logout fails at once rather than later.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
            .build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      return new RedisLogouts(
          resources,
          client,
          connection,
          keyPrefix,
          lifetime.plus(SKEW_MARGIN).toMillis(),
          retryAfter);
    } catch (RedisException e) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      // Without the cause's message, which may echo the URI and so a password.
      throw new RedisUnavailableException(
          "cannot connect for sessions: " + e.getClass().getSimpleName(), e, false);
    }
  }

  @Override
  public long issueMillis(String name) {
    return call("log in", redis -> redis.eval(ISSUE, ScriptOutputType.INTEGER, key(name)));
  }

  @Override
  public long logOut(String name) {
    return call(
        "log out",
        redis ->
            redis.eval(
                LOG_OUT, ScriptOutputType.INTEGER, new String[] {key(name)}, "" + keptMillis));
  }

  @Override
  public long lastLogoutMillis(String name) {
    return call(
        "check the session",
        redis -> {
          String last = redis.get(key(name));
          return last == null ? -1L : Long.parseLong(last);
        });
  }

  private String key(String name) {
    return keyPrefix + "logout:" + name;
  }

  private long call(String action, Function<RedisCommands<String, String>, Long> command) {
    try {
      return command.apply(connection.sync());
    } catch (RedisException e) {
      throw ChatRequestException.unavailable(
          "cannot "
              + action
              + " now: sessions unavailable (Redis: "
              + e.getClass().getSimpleName()
              + ")",
          retryAfter,
          e);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
