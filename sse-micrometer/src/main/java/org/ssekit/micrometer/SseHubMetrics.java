package org.ssekit.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.ssekit.CloseReason;
import org.ssekit.DeliveryLatencySink;
import org.ssekit.HubStats;
import org.ssekit.SseHub;
import org.ssekit.SubscriptionRefusedException;

/**
 * Micrometer meters for one {@link SseHub}: open streams, topics and bytes queued (gauges); events
 * published and delivered, keep-alives, streams opened, streams closed by reason, replays, gap
 * notices, refusals by reason and events dropped (function counters over {@link HubStats}); and a
 * sampled delivery latency {@link io.micrometer.core.instrument.Timer}. The meters and what to
 * alert on are listed in the module's README.
 *
 * <pre>{@code
 * SseHubMetrics metrics = SseHubMetrics.builder(hub).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Every meter has the tag {@code hub} (the hub's name) and the builder's extra tags; closings
 * and refusals add {@code reason}, one value per {@link CloseReason} or {@link
 * SubscriptionRefusedException.Reason} constant. No meter has one tag value per topic: the latency
 * timer gets a {@code group} tag only when the application maps topics to a few groups ({@link
 * Builder#topicGroups}), so a hub with any number of topics has a constant number of meters.
 *
 * <p>Counters read a snapshot of {@link SseHub#stats()} at most {@link Builder#statsMaxAge} old: a
 * scrape reads every meter from one snapshot instead of visiting every subscription per meter.
 *
 * <p><b>Lifecycle:</b> the first {@link #bindTo} attaches the latency sampling to the hub; a hub
 * takes one binder's sampling at a time. {@link #close()} detaches it and removes this binder's
 * meters from every registry it was bound to.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class SseHubMetrics implements MeterBinder, AutoCloseable {
  /** The group tag value of topics the mapping leaves out, or beyond the bound on groups. */
  public static final String OTHER_GROUP = "other";

  static final String DELIVERY_LATENCY = "ssekit.delivery.latency";

  private final SseHub hub;
  private final Tags tags;
  private final int everyNthEvent;
  private final StatsCache stats;
  private final LatencyTimers timers;
  private final RegisteredMeters registered = new RegisteredMeters();
  private final Object lock = new Object();
  // @GuardedBy("lock"): the hub's sampling, attached by the first bindTo; null before and after
  private DeliveryLatencySink.Attachment attachment;
  // @GuardedBy("lock")
  private boolean closed;

  private SseHubMetrics(Builder builder) {
    this.hub = builder.hub;
    this.tags = Tags.of("hub", hub.config().name()).and(builder.tags);
    this.everyNthEvent = builder.everyNthEvent;
    this.stats = new StatsCache(hub, builder.statsMaxAge.toNanos(), System::nanoTime);
    this.timers =
        new LatencyTimers(tags, builder.groupOfTopic, builder.maxTopicGroups, registered::add);
  }

  /**
   * Returns a builder of meters for {@code hub}.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  public static Builder builder(SseHub hub) {
    return new Builder(Objects.requireNonNull(hub, "hub"));
  }

  /**
   * Registers the hub's meters in {@code registry}; may be called for several registries.
   *
   * @throws NullPointerException if {@code registry} is null
   * @throws IllegalStateException if this binder was closed, or another sink samples the hub's
   *     latency already
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(this + " is closed: build a new one");
      }
      if (attachment == null && everyNthEvent > 0) {
        attachment = hub.sampleLatency(everyNthEvent, timers);
      }
    }
    // The one strong reference: function counters hold their object weakly, and the registry
    // holds this gauge (and so the cache) for as long as it holds the meters.
    add(
        registry,
        Gauge.builder("ssekit.streams.open", stats, s -> s.stats().subscribers())
            .strongReference(true)
            .description("Streams registered on the hub: connecting, open or closing")
            .baseUnit("streams"));
    add(
        registry,
        Gauge.builder("ssekit.topics", stats, s -> s.stats().topics())
            .description("Topics with subscribers on the hub")
            .baseUnit("topics"));
    add(
        registry,
        Gauge.builder("ssekit.queued", stats, s -> s.stats().bytesQueued())
            .description("Bytes queued for all subscribers, not yet handed to the container")
            .baseUnit("bytes"));
    counter(
        registry,
        "ssekit.events.published",
        "Events published",
        "events",
        HubStats::eventsPublished);
    counter(
        registry,
        "ssekit.events.delivered",
        "Events handed to the container, one per subscriber per event",
        "events",
        HubStats::eventsDelivered);
    counter(
        registry,
        "ssekit.events.dropped",
        "Events dropped from subscribers' queues (DROP_OLDEST)",
        "events",
        HubStats::overflowDrops);
    counter(
        registry,
        "ssekit.keepalives",
        "Keep-alive comments queued",
        "comments",
        HubStats::keepAlivesSent);
    counter(
        registry, "ssekit.streams.opened", "Streams admitted", "streams", HubStats::streamsOpened);
    counter(
        registry,
        "ssekit.replays",
        "Streams that began with a replay from the log",
        "streams",
        HubStats::replays);
    counter(
        registry,
        "ssekit.gap.notices",
        "Gap notices sent: a client missed events",
        "notices",
        HubStats::gapNotices);
    for (CloseReason reason : CloseReason.values()) {
      add(
          registry,
          FunctionCounter.builder(
                  "ssekit.streams.closed", stats, s -> s.stats().streamsClosed(reason))
              .tags(tags.and(reasonTag(reason)))
              .description("Streams ended, by reason")
              .baseUnit("streams"));
    }
    for (SubscriptionRefusedException.Reason reason :
        SubscriptionRefusedException.Reason.values()) {
      add(
          registry,
          FunctionCounter.builder("ssekit.refusals", stats, s -> s.stats().refusals(reason))
              .tags(tags.and(reasonTag(reason)))
              .description("Subscribers refused, by reason")
              .baseUnit("streams"));
    }
    if (everyNthEvent > 0) {
      timers.bindTo(registry);
    }
  }

  /**
   * Detaches the latency sampling and removes this binder's meters; safe to call more than once.
   */
  @Override
  public void close() {
    DeliveryLatencySink.Attachment detaching;
    synchronized (lock) {
      closed = true;
      detaching = attachment;
      attachment = null;
    }
    if (detaching != null) {
      detaching.close();
    }
    registered.removeAll();
  }

  @Override
  public String toString() {
    return "SseHubMetrics@" + hub.config().name();
  }

  private static Tag reasonTag(Enum<?> reason) {
    return Tag.of("reason", reason.name().toLowerCase(Locale.ROOT));
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      String unit,
      ToDoubleFunction<HubStats> value) {
    add(
        registry,
        FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.stats()))
            .description(description)
            .baseUnit(unit));
  }

  private void add(MeterRegistry registry, Gauge.Builder<?> gauge) {
    registered.add(registry, gauge.tags(tags).register(registry));
  }

  private void add(MeterRegistry registry, FunctionCounter.Builder<?> counter) {
    registered.add(registry, counter.tags(tags).register(registry));
  }

  /**
   * Configures an {@link SseHubMetrics}. Defaults: no extra tags; every 64th event's deliveries
   * timed; no topic groups; stats at most 1 s old.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final SseHub hub;
    private Tags tags = Tags.empty();
    private int everyNthEvent = 64;
    private Function<String, String> groupOfTopic;
    private int maxTopicGroups = 32;
    private Duration statsMaxAge = Duration.ofSeconds(1);

    private Builder(SseHub hub) {
      this.hub = hub;
    }

    /**
     * Adds {@code tags} to every meter, after {@code hub}.
     *
     * @throws NullPointerException if {@code tags} is null
     */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * Times the deliveries of every {@code everyNthEvent}-th event the hub fans out (each to every
     * subscriber it reaches); 0 registers no timer and attaches nothing to the hub.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder sampleEveryNthEvent(int everyNthEvent) {
      if (everyNthEvent < 0) {
        throw new IllegalArgumentException("everyNthEvent < 0: " + everyNthEvent);
      }
      this.everyNthEvent = everyNthEvent;
      return this;
    }

    /**
     * Tags the latency timer with {@code group}: {@code groupOfTopic} maps a topic to one of a few
     * groups (such as "rooms" or "tickers"), or to null for {@link #OTHER_GROUP}. At most {@code
     * maxGroups} distinct groups get their own timer; any further group is recorded as {@link
     * #OTHER_GROUP}. It is called on delivery threads: it must be fast and must not block.
     *
     * @throws NullPointerException if {@code groupOfTopic} is null
     * @throws IllegalArgumentException if {@code maxGroups} is less than 1 or more than 1000
     */
    public Builder topicGroups(Function<String, String> groupOfTopic, int maxGroups) {
      if (maxGroups < 1 || maxGroups > 1000) {
        throw new IllegalArgumentException("maxGroups not in [1, 1000]: " + maxGroups);
      }
      this.groupOfTopic = Objects.requireNonNull(groupOfTopic, "groupOfTopic");
      this.maxTopicGroups = maxGroups;
      return this;
    }

    /**
     * Sets how old the stats behind the gauges and counters may be; {@link Duration#ZERO} takes a
     * fresh snapshot for every meter read.
     *
     * @throws NullPointerException if {@code statsMaxAge} is null
     * @throws IllegalArgumentException if negative or longer than one hour
     */
    public Builder statsMaxAge(Duration statsMaxAge) {
      Objects.requireNonNull(statsMaxAge, "statsMaxAge");
      if (statsMaxAge.isNegative() || statsMaxAge.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("statsMaxAge not in [0, 1h]: " + statsMaxAge);
      }
      this.statsMaxAge = statsMaxAge;
      return this;
    }

    /** Builds the binder; bind it with {@link SseHubMetrics#bindTo}. */
    public SseHubMetrics build() {
      return new SseHubMetrics(this);
    }
  }
}
