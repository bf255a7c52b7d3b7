package org.ssekit.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.ssekit.OverflowPolicy;
import org.ssekit.RefusalAnswer;
import org.ssekit.UnknownIdPolicy;

/**
 * The {@code ssekit.*} properties from which {@link SsekitAutoConfiguration} builds the
 * application's {@link org.ssekit.SseHub} and {@link org.ssekit.servlet.ServletStreams}. A property
 * left unset keeps the hub builder's default (named in each description); a value the builder
 * refuses fails the application's start with the builder's message, prefixed by the property's
 * name.
 *
 * <p><b>Thread safety:</b> not thread-safe: Spring binds it once at start; read it afterwards.
 */
@ConfigurationProperties(prefix = "ssekit")
public class SsekitProperties {
  /** Names the hub in thread names and log lines: 1-32 chars of [A-Za-z0-9_.-]. Default "hub". */
  private String name;

  /** How long a stream may be idle before a keep-alive comment is sent. Default 15s. */
  private Duration keepAlive;

  /** How long queued bytes may go unwritten before a stream ends as stalled. Default 30s. */
  private Duration stallTimeout;

  /** Bound on each subscriber's queued bytes (e.g. 1MB, or a number of bytes). Default 1MB. */
  private DataSize maxQueuedBytes;

  /** What happens when a subscriber's queue would overflow. Default disconnect. */
  private OverflowPolicy overflowPolicy;

  /** What happens to a Last-Event-ID the log does not know. Default notify-then-live. */
  private UnknownIdPolicy unknownIdPolicy;

  /** Maximum number of subscribers of the hub; more are refused. Default unlimited. */
  private Integer maxSubscribers;

  /** Maximum number of one-topic subscribers per topic; more are refused. Default unlimited. */
  private Integer maxSubscribersPerTopic;

  /** Maximum entries (topics plus selectors) of one stream's selection (1-1024). Default 64. */
  private Integer maxSelectionSize;

  /** A retry: sent first on every stream. Default none. */
  private Duration initialRetry;

  /** Lower bound of the jittered retry: each stream gets when the hub closes. Default 1s. */
  private Duration shutdownRetryMin;

  /** Upper bound of the jittered retry: each stream gets when the hub closes. Default 10s. */
  private Duration shutdownRetryMax;

  /** How long closing the hub waits for streams to drain. Default 5s. */
  private Duration shutdownTimeout;

  /**
   * How long a refused client is asked to wait (centre of the jittered retry: of a retry-stream
   * refusal, or the Retry-After of a 503). Default 5s.
   */
  private Duration retryAfter;

  /** Number of delivery threads. Default: the number of available processors. */
  private Integer deliveryThreads;

  /** How a stream request refused for a passing reason is answered. Default retry-stream. */
  private RefusalAnswer refusalAnswer;

  /** Response buffer size of each stream, in bytes. Default 1024. */
  private Integer bufferSize;

  /** History the in-memory log keeps per topic for replay (and the Redis log's retention). */
  private final Retention retention = new Retention();

  /** The Redis event log, used when sse-redis is on the class path and a URI is set. */
  private final Redis redis = new Redis();

  /** Returns the hub's name, or null for the default. */
  public String getName() {
    return name;
  }

  /** Sets the hub's name; null keeps the default. */
  public void setName(String name) {
    this.name = name;
  }

  /** Returns the keep-alive interval, or null for the default. */
  public Duration getKeepAlive() {
    return keepAlive;
  }

  /** Sets the keep-alive interval; null keeps the default. */
  public void setKeepAlive(Duration keepAlive) {
    this.keepAlive = keepAlive;
  }

  /** Returns the stall timeout, or null for the default. */
  public Duration getStallTimeout() {
    return stallTimeout;
  }

  /** Sets the stall timeout; null keeps the default. */
  public void setStallTimeout(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  /** Returns the bound on each subscriber's queued bytes, or null for the default. */
  public DataSize getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Sets the bound on each subscriber's queued bytes; null keeps the default. */
  public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** Returns the overflow policy, or null for the default. */
  public OverflowPolicy getOverflowPolicy() {
    return overflowPolicy;
  }

  /** Sets the overflow policy; null keeps the default. */
  public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = overflowPolicy;
  }

  /** Returns the unknown-id policy, or null for the default. */
  public UnknownIdPolicy getUnknownIdPolicy() {
    return unknownIdPolicy;
  }

  /** Sets the unknown-id policy; null keeps the default. */
  public void setUnknownIdPolicy(UnknownIdPolicy unknownIdPolicy) {
    this.unknownIdPolicy = unknownIdPolicy;
  }

  /** Returns the hub's subscriber limit, or null for none. */
  public Integer getMaxSubscribers() {
    return maxSubscribers;
  }

  /** Sets the hub's subscriber limit; null keeps none. */
  public void setMaxSubscribers(Integer maxSubscribers) {
    this.maxSubscribers = maxSubscribers;
  }

  /** Returns the per-topic subscriber limit, or null for none. */
  public Integer getMaxSubscribersPerTopic() {
    return maxSubscribersPerTopic;
  }

  /** Sets the per-topic subscriber limit; null keeps none. */
  public void setMaxSubscribersPerTopic(Integer maxSubscribersPerTopic) {
    this.maxSubscribersPerTopic = maxSubscribersPerTopic;
  }

  /** Returns the maximum selection size, or null for the default. */
  public Integer getMaxSelectionSize() {
    return maxSelectionSize;
  }

  /** Sets the maximum selection size; null keeps the default. */
  public void setMaxSelectionSize(Integer maxSelectionSize) {
    this.maxSelectionSize = maxSelectionSize;
  }

  /** Returns the initial retry:, or null for none. */
  public Duration getInitialRetry() {
    return initialRetry;
  }

  /** Sets the initial retry:; null sends none. */
  public void setInitialRetry(Duration initialRetry) {
    this.initialRetry = initialRetry;
  }

  /** Returns the lower bound of the shutdown retry:, or null for the default. */
  public Duration getShutdownRetryMin() {
    return shutdownRetryMin;
  }

  /** Sets the lower bound of the shutdown retry:; null keeps the default. */
  public void setShutdownRetryMin(Duration shutdownRetryMin) {
    this.shutdownRetryMin = shutdownRetryMin;
  }

  /** Returns the upper bound of the shutdown retry:, or null for the default. */
  public Duration getShutdownRetryMax() {
    return shutdownRetryMax;
  }

  /** Sets the upper bound of the shutdown retry:; null keeps the default. */
  public void setShutdownRetryMax(Duration shutdownRetryMax) {
    this.shutdownRetryMax = shutdownRetryMax;
  }

  /** Returns the hub's drain timeout on close, or null for the default. */
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  /** Sets the hub's drain timeout on close; null keeps the default. */
  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  /** Returns how long refused clients are asked to wait, or null for the default. */
  public Duration getRetryAfter() {
    return retryAfter;
  }

  /** Sets how long refused clients are asked to wait; null keeps the default. */
  public void setRetryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  /** Returns the number of delivery threads, or null for the default. */
  public Integer getDeliveryThreads() {
    return deliveryThreads;
  }

  /** Sets the number of delivery threads; null keeps the default. */
  public void setDeliveryThreads(Integer deliveryThreads) {
    this.deliveryThreads = deliveryThreads;
  }

  /** Returns the refusal answer, or null for the default. */
  public RefusalAnswer getRefusalAnswer() {
    return refusalAnswer;
  }

  /** Sets the refusal answer; null keeps the default. */
  public void setRefusalAnswer(RefusalAnswer refusalAnswer) {
    this.refusalAnswer = refusalAnswer;
  }

  /** Returns the response buffer size in bytes, or null for the default. */
  public Integer getBufferSize() {
    return bufferSize;
  }

  /** Sets the response buffer size in bytes; null keeps the default. */
  public void setBufferSize(Integer bufferSize) {
    this.bufferSize = bufferSize;
  }

  /** Returns the retention settings. */
  public Retention getRetention() {
    return retention;
  }

  /** Returns the Redis settings. */
  public Redis getRedis() {
    return redis;
  }

  /**
   * The {@code ssekit.retention.*} properties: what each topic keeps for replay.
   *
   * <p><b>Thread safety:</b> not thread-safe; bound once at start.
   */
  public static class Retention {
    /** Newest events kept per topic. Default 1000. */
    private Integer maxEvents;

    /** Encoded bytes kept per topic (e.g. 1MB). Default 1MB. */
    private DataSize maxBytes;

    /** Oldest event kept. Default 5m. */
    private Duration maxAge;

    /** Closed topics the in-memory log remembers (late subscribers get 204). Default 10000. */
    private Integer maxClosedTopics;

    /** Returns the newest events kept per topic, or null for the default. */
    public Integer getMaxEvents() {
      return maxEvents;
    }

    /** Sets the newest events kept per topic; null keeps the default. */
    public void setMaxEvents(Integer maxEvents) {
      this.maxEvents = maxEvents;
    }

    /** Returns the bytes kept per topic, or null for the default. */
    public DataSize getMaxBytes() {
      return maxBytes;
    }

    /** Sets the bytes kept per topic; null keeps the default. */
    public void setMaxBytes(DataSize maxBytes) {
      this.maxBytes = maxBytes;
    }

    /** Returns the oldest event's age kept, or null for the default. */
    public Duration getMaxAge() {
      return maxAge;
    }

    /** Sets the oldest event's age kept; null keeps the default. */
    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    /** Returns the closed topics remembered, or null for the default. */
    public Integer getMaxClosedTopics() {
      return maxClosedTopics;
    }

    /** Sets the closed topics remembered; null keeps the default. */
    public void setMaxClosedTopics(Integer maxClosedTopics) {
      this.maxClosedTopics = maxClosedTopics;
    }
  }

  /**
   * The {@code ssekit.redis.*} properties: the Redis event log that several nodes share. Used when
   * {@code uri} is set; sse-redis must then be on the class path.
   *
   * <p><b>Thread safety:</b> not thread-safe; bound once at start.
   */
  public static class Redis {
    /** Redis URI (redis://host:6379, rediss://:password@host:6380/0, redis-sentinel://...). */
    private String uri;

    /** Prefix of every key the log uses; nodes sharing topics use the same. Default "sse:". */
    private String keyPrefix;

    /** How long a Redis command (or connecting) may take. Default 2s. */
    private Duration commandTimeout;

    /** How long a closed topic is remembered. Default 1h. */
    private Duration closedTopicTtl;

    /** How long each blocking read waits before it starts over. Default 500ms. */
    private Duration readBlock;

    /** Returns the Redis URI, or null if Redis is not used. */
    public String getUri() {
      return uri;
    }

    /** Sets the Redis URI; null keeps the in-memory log. */
    public void setUri(String uri) {
      this.uri = uri;
    }

    /** Returns the key prefix, or null for the default. */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** Sets the key prefix; null keeps the default. */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** Returns the command timeout, or null for the default. */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /** Sets the command timeout; null keeps the default. */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /** Returns how long closed topics are remembered, or null for the default. */
    public Duration getClosedTopicTtl() {
      return closedTopicTtl;
    }

    /** Sets how long closed topics are remembered; null keeps the default. */
    public void setClosedTopicTtl(Duration closedTopicTtl) {
      this.closedTopicTtl = closedTopicTtl;
    }

    /** Returns the blocking read's wait, or null for the default. */
    public Duration getReadBlock() {
      return readBlock;
    }

    /** Sets the blocking read's wait; null keeps the default. */
    public void setReadBlock(Duration readBlock) {
      this.readBlock = readBlock;
    }
  }
}
