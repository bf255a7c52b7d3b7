package org.ssekit;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history an in-memory {@link EventLog} keeps per topic for replay, and how many closed
 * topic names it remembers. An event is evicted as soon as any bound is exceeded.
 *
 * <p>Defaults: 1,000 events, 1 MiB of encoded events and 5 minutes per topic; 10,000 closed topics.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe; its builder is not.
 */
public final class Retention {
  private static final Retention DEFAULTS = builder().build();

  private final int maxEvents;
  private final long maxBytes;
  private final Duration maxAge;
  private final int maxClosedTopics;

  private Retention(Builder builder) {
    this.maxEvents = builder.maxEvents;
    this.maxBytes = builder.maxBytes;
    this.maxAge = builder.maxAge;
    this.maxClosedTopics = builder.maxClosedTopics;
  }

  /** Returns the default retention. */
  public static Retention defaults() {
    return DEFAULTS;
  }

  /** Returns a builder initialised with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the maximum number of events kept per topic. */
  public int maxEvents() {
    return maxEvents;
  }

  /** Returns the maximum encoded size, in bytes, of the events kept per topic. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Returns the maximum age of a kept event. */
  public Duration maxAge() {
    return maxAge;
  }

  /** Returns how many closed topic names are remembered (the oldest are forgotten first). */
  public int maxClosedTopics() {
    return maxClosedTopics;
  }

  @Override
  public String toString() {
    return "Retention{maxEvents="
        + maxEvents
        + ", maxBytes="
        + maxBytes
        + ", maxAge="
        + maxAge
        + ", maxClosedTopics="
        + maxClosedTopics
        + "}";
  }

  /**
   * Builds a {@link Retention}; each setter checks its argument at once.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private int maxEvents = 1_000;
    private long maxBytes = 1L << 20;
    private Duration maxAge = Duration.ofMinutes(5);
    private int maxClosedTopics = 10_000;

    private Builder() {}

    /**
     * Sets the maximum number of events kept per topic; 0 keeps none (no replay).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents < 0) {
        throw new IllegalArgumentException("maxEvents < 0: " + maxEvents);
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /**
     * Sets the maximum encoded size of the events kept per topic.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes < 0) {
        throw new IllegalArgumentException("maxBytes < 0: " + maxBytes);
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /**
     * Sets the maximum age of a kept event.
     *
     * @throws NullPointerException if {@code maxAge} is null
     * @throws IllegalArgumentException if {@code maxAge} is not positive
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge <= 0: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Sets how many closed topic names are remembered.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxClosedTopics(int maxClosedTopics) {
      if (maxClosedTopics < 0) {
        throw new IllegalArgumentException("maxClosedTopics < 0: " + maxClosedTopics);
      }
      this.maxClosedTopics = maxClosedTopics;
      return this;
    }

    /** Returns the retention. */
    public Retention build() {
      return new Retention(this);
    }
  }
}
