package org.ssekit.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisLogStats;

/**
 * Micrometer meters for one sse-redis {@link RedisEventLog}: publish latency (a {@link
 * FunctionTimer} over the log's append count and total time), unavailable errors by operation, the
 * reader's lag, reconnects, entries read and missed, and whether Redis is reachable. Every value is
 * read from {@link RedisEventLog#stats()} when the registry reads the meter: nothing is added to
 * the publish path. The meters and what to alert on are listed in the module's README.
 *
 * <pre>{@code
 * RedisEventLog log = RedisEventLog.builder("redis://redis.internal:6379").build();
 * SseHub hub = SseHub.builder().eventLog(log).build();
 * SseHubMetrics.builder(hub).build().bindTo(registry);
 * RedisLogMetrics.builder(log).build().bindTo(registry);
 * }</pre>
 *
 * <p>A binder of its own rather than part of {@link SseHubMetrics}: a hub does not expose its log,
 * and this type is the only one in the module that needs sse-redis (an optional dependency), so
 * {@link SseHubMetrics} works without it.
 *
 * <p>Every meter has the tag {@code log} (the log's {@linkplain RedisEventLog.Config#name() name})
 * and the builder's extra tags; {@code ssekit.redis.unavailable} adds {@code operation} ({@code
 * publish} or {@code replay}). The number of meters is fixed: eight per log and registry.
 *
 * <p><b>Lifecycle:</b> {@link #close()} removes this binder's meters from every registry it was
 * bound to; it does not close the log.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RedisLogMetrics implements MeterBinder, AutoCloseable {
  private final RedisEventLog log;
  private final Tags tags;
  private final RegisteredMeters registered = new RegisteredMeters();
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private boolean closed;

  private RedisLogMetrics(Builder builder) {
    this.log = builder.log;
    this.tags = Tags.of("log", log.config().name()).and(builder.tags);
  }

  /**
   * Returns a builder of meters for {@code log}.
   *
   * @throws NullPointerException if {@code log} is null
   */
  public static Builder builder(RedisEventLog log) {
    return new Builder(Objects.requireNonNull(log, "log"));
  }

  /**
   * Registers the log's meters in {@code registry}; may be called for several registries.
   *
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(this + " is closed: build a new one");
      }
    }
    // The one strong reference: function meters hold their object weakly; the log normally lives
    // as long as its hub, but the registry must not lose the meters if the application drops it.
    add(
        registry,
        Gauge.builder("ssekit.redis.reachable", log, l -> l.stats().reachable() ? 1 : 0)
            .strongReference(true)
            .description("1 while Redis is reachable from this node's log, 0 while it is not"));
    add(
        registry,
        FunctionTimer.builder(
                "ssekit.redis.publish.latency",
                log,
                l -> l.stats().appends(),
                l -> l.stats().appendTotalNanos(),
                TimeUnit.NANOSECONDS)
            .description(
                "Appends that completed: from the call until the event is in Redis and this"
                    + " node's reader reported it"));
    for (String operation : List.of("publish", "replay")) {
      ToDoubleFunction<RedisEventLog> count =
          operation.equals("publish")
              ? l -> l.stats().appendsUnavailable()
              : l -> l.stats().replaysUnavailable();
      add(
          registry,
          FunctionCounter.builder("ssekit.redis.unavailable", log, count)
              .tags(Tags.of(Tag.of("operation", operation)))
              .description("Appends and replay lookups that failed with RedisUnavailableException")
              .baseUnit("errors"));
    }
    add(
        registry,
        TimeGauge.builder(
                "ssekit.redis.reader.lag",
                log,
                TimeUnit.NANOSECONDS,
                l -> l.stats().readerLag().toNanos())
            .description("How long ago this node's reader last had every entry Redis held"));
    counter(
        registry,
        "ssekit.redis.reader.reconnects",
        "Times the reader's connection to Redis was connected again after it dropped",
        RedisLogStats::readerReconnects,
        "reconnects");
    counter(
        registry,
        "ssekit.redis.reader.entries",
        "Entries of the log's index the reader reported to the hub",
        RedisLogStats::entriesRead,
        "entries");
    counter(
        registry,
        "ssekit.redis.reader.missed",
        "Entries Redis trimmed before this node's reader read them: events its subscribers missed",
        RedisLogStats::entriesMissed,
        "entries");
  }

  /** Removes this binder's meters from every registry; safe to call more than once. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    registered.removeAll();
  }

  @Override
  public String toString() {
    return "RedisLogMetrics@" + log.config().name();
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<RedisLogStats> value,
      String unit) {
    add(
        registry,
        FunctionCounter.builder(name, log, l -> value.applyAsDouble(l.stats()))
            .description(description)
            .baseUnit(unit));
  }

  private void add(MeterRegistry registry, Gauge.Builder<?> gauge) {
    registered.add(registry, gauge.tags(tags).register(registry));
  }

  private void add(MeterRegistry registry, TimeGauge.Builder<?> gauge) {
    registered.add(registry, gauge.tags(tags).register(registry));
  }

  private void add(MeterRegistry registry, FunctionCounter.Builder<?> counter) {
    registered.add(registry, counter.tags(tags).register(registry));
  }

  private void add(MeterRegistry registry, FunctionTimer.Builder<?> timer) {
    registered.add(registry, timer.tags(tags).register(registry));
  }

  /**
   * Configures a {@link RedisLogMetrics}. Default: no extra tags.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final RedisEventLog log;
    private Tags tags = Tags.empty();

    private Builder(RedisEventLog log) {
      this.log = log;
    }

    /**
     * Adds {@code tags} to every meter, after {@code log} (for example the hub's name, {@code
     * Tags.of("hub", hub.config().name())}).
     *
     * @throws NullPointerException if {@code tags} is null
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /** Builds the binder; bind it with {@link RedisLogMetrics#bindTo}. */
    public RedisLogMetrics build() {
      return new RedisLogMetrics(this);
    }
  }
}
