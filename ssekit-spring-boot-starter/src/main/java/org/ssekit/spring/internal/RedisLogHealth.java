package org.ssekit.spring.internal;

import java.util.Map;
import java.util.Objects;
import org.ssekit.EventLog;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisLogStats;

/**
 * The health of a {@link RedisEventLog}: up while Redis is reachable from it ({@link
 * RedisLogStats#reachable()}); the details say {@code redis: reachable} or {@code redis:
 * unreachable} with the reason (the endpoint, never the URI) and how long, and the reader's lag.
 * Reads the log's stats: no Redis command per health check. Loaded only when sse-redis is on the
 * class path.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RedisLogHealth implements LogHealth {
  private final RedisEventLog log;

  private RedisLogHealth(RedisEventLog log) {
    this.log = log;
  }

  /**
   * Returns the health of {@code log} if it is a Redis log, else {@link LogHealth#NONE}.
   *
   * @param log the application's event log, or null if it has none
   */
  public static LogHealth of(EventLog log) {
    return log instanceof RedisEventLog redis ? new RedisLogHealth(redis) : LogHealth.NONE;
  }

  @Override
  public boolean isUp() {
    return log.stats().reachable();
  }

  @Override
  public void addDetails(Map<String, Object> details) {
    Objects.requireNonNull(details, "details");
    RedisLogStats stats = log.stats();
    if (stats.reachable()) {
      details.put("redis", "reachable");
    } else {
      details.put("redis", "unreachable");
      details.put("redisReason", stats.unreachableReason().orElse("unknown"));
      details.put("redisUnreachableMillis", stats.unreachableFor().toMillis());
    }
    details.put("redisReaderLagMillis", stats.readerLag().toMillis());
  }

  @Override
  public String toString() {
    return "RedisLogHealth@" + log.config().name();
  }
}
