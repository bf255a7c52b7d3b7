package org.ssekit.internal;

import java.time.Duration;
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
