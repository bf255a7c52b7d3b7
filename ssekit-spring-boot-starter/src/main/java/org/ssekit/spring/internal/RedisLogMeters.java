package org.ssekit.spring.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.ssekit.EventLog;
import org.ssekit.SseHub;
import org.ssekit.micrometer.RedisLogMetrics;
import org.ssekit.redis.RedisEventLog;

/**
 * The Redis log's meters ({@link RedisLogMetrics}, tagged with the hub's name as {@code hub}) when
 * the application's event log is a {@link RedisEventLog}; nothing otherwise. A bean of its own
 * because whether the log is Redis is known only once the log bean exists, and a bean method may
 * not return "nothing". Loaded only when sse-redis and sse-micrometer are on the class path.
 *
 * <p><b>Lifecycle:</b> {@link #close()} (called by Spring when the context closes) removes the
 * meters.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RedisLogMeters implements MeterBinder, AutoCloseable {
  private final RedisLogMetrics metrics; // or null: the log is not Redis

  /**
   * Creates the meters of {@code log}, if it is a Redis log.
   *
   * @param log the application's event log, or null if it has none
   * @param hub the hub, whose name tags the meters
   */
  public RedisLogMeters(EventLog log, SseHub hub) {
    this.metrics =
        log instanceof RedisEventLog redis
            ? RedisLogMetrics.builder(redis).tags(Tags.of("hub", hub.config().name())).build()
            : null;
  }

  /** Returns true if the log is a Redis log, whose meters {@link #bindTo} registers. */
  public boolean isRedis() {
    return metrics != null;
  }

  /**
   * Registers the Redis log's meters in {@code registry}, if the log is a Redis log.
   *
   * @throws IllegalStateException if closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (metrics != null) {
      metrics.bindTo(registry);
    }
  }

  /** Removes the meters; safe to call more than once. */
  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
  }
}
