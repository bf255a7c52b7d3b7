package org.ssekit.internal;

import java.time.Duration;
import java.util.Objects;
import org.ssekit.EventLog;
import org.ssekit.OverflowPolicy;
import org.ssekit.SseHub;
import org.ssekit.UnknownIdPolicy;

/**
 * The {@link SseHub.Config} of a hub, built once by {@link SseHub.Builder#build()} from values the
 * builder has checked.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param eventLog the log set on the builder, or null if it set none (the hub then made its own)
 */
public record HubConfig(
    String name,
    EventLog eventLog,
    Duration keepAlive,
    Duration stallTimeout,
    long maxQueuedBytes,
    OverflowPolicy overflowPolicy,
    UnknownIdPolicy unknownIdPolicy,
    int maxSubscribers,
    int maxSubscribersPerTopic,
    int maxSelectionSize,
    Duration initialRetry,
    Duration shutdownRetryMin,
    Duration shutdownRetryMax,
    Duration shutdownTimeout,
    Duration retryAfter,
    int deliveryThreads)
    implements SseHub.Config {

  @Override
  public SseHub.Builder toBuilder() {
    SseHub.Builder builder =
        SseHub.builder()
            .name(name)
            .keepAlive(keepAlive)
            .stallTimeout(stallTimeout)
            .maxQueuedBytes(maxQueuedBytes)
            .overflowPolicy(overflowPolicy)
            .unknownIdPolicy(unknownIdPolicy)
            .maxSubscribers(maxSubscribers)
            .maxSubscribersPerTopic(maxSubscribersPerTopic)
            .maxSelectionSize(maxSelectionSize)
            .initialRetry(initialRetry)
            .shutdownRetry(shutdownRetryMin, shutdownRetryMax)
            .shutdownTimeout(shutdownTimeout)
            .retryAfter(retryAfter)
            .deliveryThreads(deliveryThreads);
    return eventLog == null ? builder : builder.eventLog(eventLog);
  }

  /**
   * Returns {@code value}, a count setting of the builder.
   *
   * @throws IllegalArgumentException naming {@code name} if it is less than 1
   */
  public static <T extends Number> T requireAtLeastOne(String name, T value) {
    if (value.longValue() < 1) {
      throw new IllegalArgumentException(name + " < 1: " + value);
    }
    return value;
  }

  /**
   * Returns {@code value}, the most entries of one stream's selection: 1 to {@value
   * TopicNames#MAX_SELECTION_ENTRIES}.
   *
   * @throws IllegalArgumentException naming the setting and the rule if it is out of range
   */
  public static int requireSelectionSize(int value) {
    if (value < 1 || value > TopicNames.MAX_SELECTION_ENTRIES) {
      throw new IllegalArgumentException(
          "maxSelectionSize must be 1-" + TopicNames.MAX_SELECTION_ENTRIES + ": " + value);
    }
    return value;
  }

  /** The longest duration setting: longer ones would overflow the hub's nanosecond clock math. */
  private static final Duration MAX_DURATION = Duration.ofDays(3650);

  /**
   * Returns {@code name}, a hub name: 1-32 chars of {@code [A-Za-z0-9_.-]}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if it breaks the rule
   */
  public static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.-]{1,32}")) {
      throw new IllegalArgumentException("name must be 1-32 chars of [A-Za-z0-9_.-]: " + name);
    }
    return name;
  }

  /**
   * Checks a range of {@code retry:} values: both valid retries, {@code min <= max}, and {@code
   * max} below {@link Long#MAX_VALUE} ms so that a random value in {@code [min, max]} can be drawn.
   *
   * @throws NullPointerException naming {@code min} or {@code max} if null
   * @throws IllegalArgumentException naming {@code setting} if the range breaks a rule
   */
  public static void requireRetryRange(String setting, Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    FieldChecks.requireRetry(setting + " min", min);
    FieldChecks.requireRetry(setting + " max", max.plusMillis(1));
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException(setting + " min > max: " + min + " > " + max);
    }
  }

  /**
   * Returns {@code value}, a duration setting of the builder that must be positive.
   *
   * @throws NullPointerException naming {@code name} if it is null
   * @throws IllegalArgumentException naming {@code name} if it is zero or negative, or longer than
   *     3650 days
   */
  public static Duration requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " <= 0: " + value);
    }
    return requireAtMostMax(name, value);
  }

  /**
   * Returns {@code value}, a duration setting of the builder that may be zero.
   *
   * @throws NullPointerException naming {@code name} if it is null
   * @throws IllegalArgumentException naming {@code name} if it is negative, or longer than 3650
   *     days
   */
  public static Duration requireNotNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " < 0: " + value);
    }
    return requireAtMostMax(name, value);
  }

  private static Duration requireAtMostMax(String name, Duration value) {
    if (value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + " > 3650 days: " + value);
    }
    return value;
  }

  /** Lists the settings (not the log). */
  @Override
  public String toString() {
    return "SseHub.Config{name="
        + name
        + ", keepAlive="
        + keepAlive
        + ", stallTimeout="
        + stallTimeout
        + ", maxQueuedBytes="
        + maxQueuedBytes
        + ", overflowPolicy="
        + overflowPolicy
        + ", unknownIdPolicy="
        + unknownIdPolicy
        + ", maxSubscribers="
        + maxSubscribers
        + ", maxSubscribersPerTopic="
        + maxSubscribersPerTopic
        + ", maxSelectionSize="
        + maxSelectionSize
        + ", initialRetry="
        + initialRetry
        + ", shutdownRetry=["
        + shutdownRetryMin
        + ", "
        + shutdownRetryMax
        + "], shutdownTimeout="
        + shutdownTimeout
        + ", retryAfter="
        + retryAfter
        + ", deliveryThreads="
        + deliveryThreads
        + "}";
  }

  /**
   * The settings of an {@link SseHub.Builder} so far, with the documented defaults; the builder
   * checks each value before it stores it here.
   *
   * <p><b>Thread safety:</b> not thread-safe; confined to its builder.
   */
  public static final class Draft {
    public String name = "hub";
    public EventLog eventLog;
    public Duration keepAlive = Duration.ofSeconds(15);
    public Duration stallTimeout = Duration.ofSeconds(30);
    public long maxQueuedBytes = 1L << 20;
    public OverflowPolicy overflowPolicy = OverflowPolicy.DISCONNECT;
    public UnknownIdPolicy unknownIdPolicy = UnknownIdPolicy.NOTIFY_THEN_LIVE;
    public int maxSubscribers = Integer.MAX_VALUE;
    public int maxSubscribersPerTopic = Integer.MAX_VALUE;
    public int maxSelectionSize = 64;
    public Duration initialRetry;
    public Duration shutdownRetryMin = Duration.ofSeconds(1);
    public Duration shutdownRetryMax = Duration.ofSeconds(10);
    public Duration shutdownTimeout = Duration.ofSeconds(5);
    public Duration retryAfter = Duration.ofSeconds(5);
    public int deliveryThreads = Runtime.getRuntime().availableProcessors();

    /**
     * Sets the shutdown retry range after {@link #requireRetryRange} checked it.
     *
     * @throws NullPointerException naming {@code min} or {@code max} if null
     * @throws IllegalArgumentException if the range breaks a rule
     */
    public void shutdownRetry(Duration min, Duration max) {
      requireRetryRange("shutdownRetry", min, max);
      shutdownRetryMin = min;
      shutdownRetryMax = max;
    }

    /** Returns the configured log, or a new in-memory log with the default retention. */
    public EventLog eventLogOrInMemory() {
      return eventLog != null ? eventLog : EventLog.inMemory();
    }

    /** Returns these settings as an immutable config. */
    public HubConfig toConfig() {
      return new HubConfig(
          name,
          eventLog,
          keepAlive,
          stallTimeout,
          maxQueuedBytes,
          overflowPolicy,
          unknownIdPolicy,
          maxSubscribers,
          maxSubscribersPerTopic,
          maxSelectionSize,
          initialRetry,
          shutdownRetryMin,
          shutdownRetryMax,
          shutdownTimeout,
          retryAfter,
          deliveryThreads);
    }
  }
}
