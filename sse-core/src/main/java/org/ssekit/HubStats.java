package org.ssekit;

import java.util.Arrays;
import java.util.Objects;
import org.ssekit.SubscriptionRefusedException.Reason;

/**
 * A snapshot of a hub's gauges and counters, from {@link SseHub#stats()}. Counters count since the
 * hub was built and never decrease. Closings and refusals are counted per {@link CloseReason} and
 * per {@link Reason}, so that a new reason is a new value of {@link #streamsClosed(CloseReason)},
 * not a new accessor.
 *
 * <p>At rest (no stream opening or closing), {@code streamsOpened() - streamsClosed() ==
 * subscribers()}.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class HubStats {
  private static final int CLOSE_REASONS = CloseReason.values().length;
  private static final int REFUSAL_REASONS = Reason.values().length;

  private final int subscribers;
  private final int topics;
  private final long bytesQueued;
  private final long eventsPublished;
  private final long eventsDelivered;
  private final long keepAlivesSent;
  private final long overflowDrops;
  private final long streamsOpened;
  private final long[] streamsClosed; // by CloseReason.ordinal()
  private final long replays;
  private final long gapNotices;
  private final long[] refusals; // by Reason.ordinal()

  private HubStats(Builder builder) {
    this.subscribers = builder.subscribers;
    this.topics = builder.topics;
    this.bytesQueued = builder.bytesQueued;
    this.eventsPublished = builder.eventsPublished;
    this.eventsDelivered = builder.eventsDelivered;
    this.keepAlivesSent = builder.keepAlivesSent;
    this.overflowDrops = builder.overflowDrops;
    this.streamsOpened = builder.streamsOpened;
    this.streamsClosed = builder.streamsClosed.clone();
    this.replays = builder.replays;
    this.gapNotices = builder.gapNotices;
    this.refusals = builder.refusals.clone();
  }

  /** Returns a builder of a snapshot with every value zero; for hub implementations and tests. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the subscriptions registered on this hub that have not ended yet: connecting, open or
   * closing (a subscription leaves the count as it closes).
   */
  public int subscribers() {
    return subscribers;
  }

  /**
   * Returns the topics that currently have subscribers on this hub (a topic whose last subscriber
   * left counts until its log has been told to stop following it).
   */
  public int topics() {
    return topics;
  }

  /** Returns the bytes currently queued for all subscribers and not yet handed to a transport. */
  public long bytesQueued() {
    return bytesQueued;
  }

  /** Returns the events appended through this hub's {@link SseHub#publish}. */
  public long eventsPublished() {
    return eventsPublished;
  }

  /**
   * Returns the events handed to transports: one per subscriber per event, live, replayed or
   * {@linkplain Subscription#offer offered}, counted once its bytes were passed to {@link
   * SseTransport#write} (an event queued and then dropped or discarded is not counted).
   */
  public long eventsDelivered() {
    return eventsDelivered;
  }

  /** Returns the keep-alive comments queued to idle subscribers. */
  public long keepAlivesSent() {
    return keepAlivesSent;
  }

  /**
   * Returns the events dropped from subscribers' queues under {@link OverflowPolicy#DROP_OLDEST}.
   */
  public long overflowDrops() {
    return overflowDrops;
  }

  /** Returns the subscriptions admitted (each is counted once more when it ends). */
  public long streamsOpened() {
    return streamsOpened;
  }

  /**
   * Returns the subscriptions that ended for {@code reason}: the reason their listener's {@code
   * onClose} was given.
   *
   * @throws NullPointerException if {@code reason} is null
   */
  public long streamsClosed(CloseReason reason) {
    return streamsClosed[Objects.requireNonNull(reason, "reason").ordinal()];
  }

  /** Returns the subscriptions that ended, for any reason. */
  public long streamsClosed() {
    return Arrays.stream(streamsClosed).sum();
  }

  /** Returns the subscriptions ended by {@link CloseReason#OVERFLOW}. */
  public long overflowDisconnects() {
    return streamsClosed(CloseReason.OVERFLOW);
  }

  /** Returns the subscriptions ended by {@link CloseReason#STALLED}. */
  public long stallDisconnects() {
    return streamsClosed(CloseReason.STALLED);
  }

  /** Returns the streams that started with a replay of at least one event from the log. */
  public long replays() {
    return replays;
  }

  /**
   * Returns the {@link SseHub#GAP_EVENT_TYPE} notices handed to transports (a client missed events:
   * an unknown {@code Last-Event-ID}, or events dropped from its queue).
   */
  public long gapNotices() {
    return gapNotices;
  }

  /**
   * Returns the subscribers refused for {@code reason} ({@link SubscriptionRefusedException}).
   *
   * @throws NullPointerException if {@code reason} is null
   */
  public long refusals(Reason reason) {
    return refusals[Objects.requireNonNull(reason, "reason").ordinal()];
  }

  /** Returns the subscribers refused, for any reason. */
  public long refusals() {
    return Arrays.stream(refusals).sum();
  }

  /** Returns true if {@code o} is a snapshot with the same values. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HubStats)) {
      return false;
    }
    HubStats that = (HubStats) o;
    return subscribers == that.subscribers
        && topics == that.topics
        && bytesQueued == that.bytesQueued
        && eventsPublished == that.eventsPublished
        && eventsDelivered == that.eventsDelivered
        && keepAlivesSent == that.keepAlivesSent
        && overflowDrops == that.overflowDrops
        && streamsOpened == that.streamsOpened
        && Arrays.equals(streamsClosed, that.streamsClosed)
        && replays == that.replays
        && gapNotices == that.gapNotices
        && Arrays.equals(refusals, that.refusals);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        subscribers,
        topics,
        bytesQueued,
        eventsPublished,
        eventsDelivered,
        keepAlivesSent,
        overflowDrops,
        streamsOpened,
        replays,
        gapNotices,
        Arrays.hashCode(streamsClosed),
        Arrays.hashCode(refusals));
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder("HubStats{subscribers=")
            .append(subscribers)
            .append(", topics=")
            .append(topics)
            .append(", bytesQueued=")
            .append(bytesQueued)
            .append(", eventsPublished=")
            .append(eventsPublished)
            .append(", eventsDelivered=")
            .append(eventsDelivered)
            .append(", keepAlivesSent=")
            .append(keepAlivesSent)
            .append(", overflowDrops=")
            .append(overflowDrops)
            .append(", streamsOpened=")
            .append(streamsOpened)
            .append(", replays=")
            .append(replays)
            .append(", gapNotices=")
            .append(gapNotices);
    for (CloseReason reason : CloseReason.values()) {
      long closed = streamsClosed(reason);
      if (closed != 0) {
        text.append(", closed.").append(reason).append('=').append(closed);
      }
    }
    for (Reason reason : Reason.values()) {
      long refused = refusals(reason);
      if (refused != 0) {
        text.append(", refused.").append(reason).append('=').append(refused);
      }
    }
    return text.append('}').toString();
  }

  /**
   * Builds a {@link HubStats}; every value starts at zero. Hubs build their snapshots with it, and
   * tests of code that reads stats may too.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private int subscribers;
    private int topics;
    private long bytesQueued;
    private long eventsPublished;
    private long eventsDelivered;
    private long keepAlivesSent;
    private long overflowDrops;
    private long streamsOpened;
    private final long[] streamsClosed = new long[CLOSE_REASONS];
    private long replays;
    private long gapNotices;
    private final long[] refusals = new long[REFUSAL_REASONS];

    private Builder() {}

    /**
     * Sets the gauges {@link HubStats#subscribers()}, {@link HubStats#topics()} and {@link
     * HubStats#bytesQueued()}.
     *
     * @throws IllegalArgumentException if any is negative
     */
    public Builder gauges(int subscribers, int topics, long bytesQueued) {
      this.subscribers = notNegative("subscribers", subscribers);
      this.topics = notNegative("topics", topics);
      this.bytesQueued = notNegative("bytesQueued", bytesQueued);
      return this;
    }

    /**
     * Sets the event counters: {@link HubStats#eventsPublished()}, {@link
     * HubStats#eventsDelivered()}, {@link HubStats#keepAlivesSent()}, {@link
     * HubStats#overflowDrops()}, {@link HubStats#replays()} and {@link HubStats#gapNotices()}.
     *
     * @throws IllegalArgumentException if any is negative
     */
    public Builder events(
        long eventsPublished,
        long eventsDelivered,
        long keepAlivesSent,
        long overflowDrops,
        long replays,
        long gapNotices) {
      this.eventsPublished = notNegative("eventsPublished", eventsPublished);
      this.eventsDelivered = notNegative("eventsDelivered", eventsDelivered);
      this.keepAlivesSent = notNegative("keepAlivesSent", keepAlivesSent);
      this.overflowDrops = notNegative("overflowDrops", overflowDrops);
      this.replays = notNegative("replays", replays);
      this.gapNotices = notNegative("gapNotices", gapNotices);
      return this;
    }

    /**
     * Sets {@link HubStats#streamsOpened()}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder streamsOpened(long streamsOpened) {
      this.streamsOpened = notNegative("streamsOpened", streamsOpened);
      return this;
    }

    /**
     * Sets {@link HubStats#streamsClosed(CloseReason)} for {@code reason}.
     *
     * @throws NullPointerException if {@code reason} is null
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Builder streamsClosed(CloseReason reason, long count) {
      streamsClosed[Objects.requireNonNull(reason, "reason").ordinal()] =
          notNegative("streamsClosed", count);
      return this;
    }

    /**
     * Sets {@link HubStats#refusals(Reason)} for {@code reason}.
     *
     * @throws NullPointerException if {@code reason} is null
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Builder refusals(Reason reason, long count) {
      refusals[Objects.requireNonNull(reason, "reason").ordinal()] = notNegative("refusals", count);
      return this;
    }

    /** Returns the snapshot; the builder may be changed and used again. */
    public HubStats build() {
      return new HubStats(this);
    }

    private static long notNegative(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " < 0: " + value);
      }
      return value;
    }

    private static int notNegative(String name, int value) {
      return (int) notNegative(name, (long) value);
    }
  }
}
