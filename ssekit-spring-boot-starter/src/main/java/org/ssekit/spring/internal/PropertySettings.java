package org.ssekit.spring.internal;

import java.time.Duration;
import java.util.function.Consumer;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.EventLog;
import org.ssekit.Retention;
import org.ssekit.SseHub;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.spring.SsekitProperties;

/**
 * Applies {@code ssekit.*} properties to the hub, retention and streams builders. Unset properties
 * keep the builders' defaults; a value a builder refuses is rethrown as an {@link
 * IllegalArgumentException} whose message starts with the property's name and keeps the builder's
 * own message (which names the setting and the rule).
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class PropertySettings {
  private PropertySettings() {}

  /**
   * Returns a hub builder configured from {@code properties}, with {@code eventLog} if not null,
   * else an in-memory log with the configured retention.
   *
   * @throws IllegalArgumentException naming the property whose value a builder refused
   */
  public static SseHub.Builder hubBuilder(SsekitProperties properties, EventLog eventLog) {
    SseHub.Builder hub = SseHub.builder();
    set("ssekit.name", properties.getName(), hub::name);
    set("ssekit.keep-alive", properties.getKeepAlive(), hub::keepAlive);
    set("ssekit.stall-timeout", properties.getStallTimeout(), hub::stallTimeout);
    set(
        "ssekit.max-queued-bytes",
        properties.getMaxQueuedBytes(),
        size -> hub.maxQueuedBytes(size.toBytes()));
    set("ssekit.overflow-policy", properties.getOverflowPolicy(), hub::overflowPolicy);
    set("ssekit.unknown-id-policy", properties.getUnknownIdPolicy(), hub::unknownIdPolicy);
    set("ssekit.max-subscribers", properties.getMaxSubscribers(), hub::maxSubscribers);
    set(
        "ssekit.max-subscribers-per-topic",
        properties.getMaxSubscribersPerTopic(),
        hub::maxSubscribersPerTopic);
    set("ssekit.max-selection-size", properties.getMaxSelectionSize(), hub::maxSelectionSize);
    set("ssekit.initial-retry", properties.getInitialRetry(), hub::initialRetry);
    if (properties.getShutdownRetryMin() != null || properties.getShutdownRetryMax() != null) {
      SseHub.Config defaults = hub.toConfig();
      Duration min = orElse(properties.getShutdownRetryMin(), defaults.shutdownRetryMin());
      Duration max = orElse(properties.getShutdownRetryMax(), defaults.shutdownRetryMax());
      set("ssekit.shutdown-retry-min/max", min, value -> hub.shutdownRetry(value, max));
    }
    set("ssekit.shutdown-timeout", properties.getShutdownTimeout(), hub::shutdownTimeout);
    set("ssekit.retry-after", properties.getRetryAfter(), hub::retryAfter);
    set("ssekit.delivery-threads", properties.getDeliveryThreads(), hub::deliveryThreads);
    hub.eventLog(eventLog != null ? eventLog : EventLog.inMemory(retention(properties)));
    return hub;
  }

  /**
   * Returns the retention configured by {@code ssekit.retention.*}.
   *
   * @throws IllegalArgumentException naming the property whose value the builder refused
   */
  public static Retention retention(SsekitProperties properties) {
    SsekitProperties.Retention settings = properties.getRetention();
    Retention.Builder retention = Retention.builder();
    set("ssekit.retention.max-events", settings.getMaxEvents(), retention::maxEvents);
    set(
        "ssekit.retention.max-bytes",
        settings.getMaxBytes(),
        size -> retention.maxBytes(size.toBytes()));
    set("ssekit.retention.max-age", settings.getMaxAge(), retention::maxAge);
    set(
        "ssekit.retention.max-closed-topics",
        settings.getMaxClosedTopics(),
        retention::maxClosedTopics);
    return retention.build();
  }

  /**
   * Returns the streams of {@code hub} configured from {@code properties}, deciding with {@code
   * authorizer} and answering CORS per {@code cors} when they are not null.
   *
   * @throws IllegalArgumentException naming the property whose value the builder refused
   */
  public static ServletStreams streams(
      SseHub hub, SsekitProperties properties, Authorizer authorizer, Cors cors) {
    ServletStreams.Builder streams = ServletStreams.builder(hub);
    set("ssekit.refusal-answer", properties.getRefusalAnswer(), streams::refusalAnswer);
    set("ssekit.buffer-size", properties.getBufferSize(), streams::bufferSize);
    if (authorizer != null) {
      streams.authorizer(authorizer);
    }
    if (cors != null) {
      streams.cors(cors);
    }
    return streams.build();
  }

  /**
   * Passes {@code value} to {@code setter} unless it is null, and names {@code property} in the
   * message of an {@link IllegalArgumentException} the setter throws.
   */
  static <T> void set(String property, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw invalid(property, e);
    }
  }

  /** Returns an exception that names {@code property} and keeps the message of {@code e}. */
  static IllegalArgumentException invalid(String property, IllegalArgumentException e) {
    return new IllegalArgumentException(property + " is invalid: " + e.getMessage(), e);
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
