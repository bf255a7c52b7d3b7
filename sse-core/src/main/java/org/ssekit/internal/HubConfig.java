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
   * Returns {@code value}, a duration setting of the builder that must be positive.
   *
   * @throws NullPointerException naming {@code name} if it is null
   * @throws IllegalArgumentException naming {@code name} if it is zero or negative
   */
  public static Duration requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " <= 0: " + value);
    }
    return value;
  }

  /**
   * Returns {@code value}, a duration setting of the builder that may be zero.
   *
   * @throws NullPointerException naming {@code name} if it is null
   * @throws IllegalArgumentException naming {@code name} if it is negative
   */
  public static Duration requireNotNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " < 0: " + value);
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
}
