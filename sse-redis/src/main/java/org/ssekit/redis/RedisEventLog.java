package org.ssekit.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ssekit.EventLog;
import org.ssekit.Retention;
import org.ssekit.redis.internal.LogSettings;
import org.ssekit.redis.internal.RealRedisEventLog;

/**
 * An {@link EventLog} on Redis Streams, which several server nodes share: a publish on any node
 * reaches the subscribers of every node, event ids minted on one node are understood by all, and a
 * client may reconnect to any node with its {@code Last-Event-ID}.
 *
 * <pre>{@code
 * EventLog log = RedisEventLog.builder("redis://redis.internal:6379").build();
 * SseHub hub = SseHub.builder().eventLog(log).build();
 * }</pre>
 *
 * <p><b>How it works:</b> publishing appends the event, in one Lua script, to the log's index
 * stream {@code <prefix>log} (one order for every topic) and to the topic's stream under the same
 * entry id, which becomes the event id, prefixed by the topic's epoch: {@code <epoch>:<ms>-<seq>}.
 * Each node reads the index with a blocking {@code XREAD} on a dedicated connection and thread, and
 * hands every event to its hub, which encodes each event once. A {@code Last-Event-ID} is looked up
 * with {@code XRANGE}: in the topic's stream for a stream of one topic, in the index for a {@link
 * org.ssekit.Selection} of several topics and selectors (it {@linkplain #supportsSelections()
 * supports selections}). Topic keys are {@code <prefix>{<topic>}} (the stream) and {@code
 * <prefix>{<topic>}:m} (its epoch, event count, newest entry id and closed flag). {@link
 * org.ssekit.SseHub#closeStreamsOf Revocations} go to every other node through the control stream
 * {@code <prefix>ctl}, read with the index ({@link #announceRevocation}), and so do presence
 * changes; each node's members are also in {@code <prefix>presence:<origin>} under a lease renewed
 * every third of {@link Config#presenceLease()} ({@link #presenceChanged}).
 *
 * <p><b>Guarantees:</b> every node delivers a topic's events in the one order Redis gave them, with
 * the same ids; a subscriber that presents an id the topic still retains receives exactly the
 * events after it, then live events, with no gap and no duplicate at the hand-over. An id the topic
 * no longer retains (older than the {@link Retention}), from another epoch (Redis lost its data, or
 * the topic was forgotten a day after it went idle, or was closed and published to again), or
 * malformed is unknown, and the hub's {@link org.ssekit.UnknownIdPolicy} applies. Closing a topic
 * is seen by every node.
 *
 * <p><b>Faults:</b> commands are never queued while Redis is unreachable, nor retried: an append
 * fails at once (or after the command timeout if Redis hangs) with {@link
 * RedisUnavailableException}. Connected subscribers stay connected while Redis is away; each node
 * reconnects by itself and then delivers what was appended meanwhile, in order.
 *
 * <p><b>Limits:</b> Redis 6.2 or later, standalone, behind Sentinel, or a Redis Cluster ({@link
 * #clusterBuilder}), where every key of the log carries the hash tag {@code {<prefix>}}: the log
 * lives in one slot, so one shard carries all its writes (a cluster adds failover, not write
 * capacity, to one log). {@link Retention#maxClosedTopics()} does not apply: a closed topic is
 * remembered for {@link Config#closedTopicTtl()}. The events of a topic with no event for the
 * retention's maximum age (at least one minute; never, if that age is over 3650 days) expire, as in
 * the in-memory log; its epoch and newest id are kept a day longer, so that a client presenting
 * that id is known and told of no gap. Events that Redis loses (a restart without persistence, a
 * failover to a replica that lagged, also on a cluster) are lost; streams are told of the gap.
 *
 * <p><b>Observability:</b> {@link #stats()} counts appends (and their time), unavailable errors,
 * the reader's entries, lag and reconnects, and tells whether Redis is reachable.
 *
 * <p><b>Lifecycle:</b> {@link Builder#build()} connects; the hub the log is given to starts it and
 * closes it with itself.
 *
 * <p>Implemented only by ssekit.
 *
 * <p><b>Thread safety:</b> thread-safe; its builder is not.
 */
public interface RedisEventLog extends EventLog {

  /**
   * Returns a builder for a log on the Redis at {@code uri}, such as {@code redis://host:6379},
   * {@code rediss://:password@host:6380/0} or {@code redis-sentinel://host:26379#mymaster}.
   *
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   */
  static Builder builder(String uri) {
    Objects.requireNonNull(uri, "uri");
    return new Builder(List.of(LogSettings.uri(uri)), false);
  }

  /**
   * Returns a builder for a log on the Redis at {@code uri}; the URI is copied, so later changes to
   * it have no effect.
   *
   * @throws NullPointerException if {@code uri} is null
   */
  static Builder builder(RedisURI uri) {
    Objects.requireNonNull(uri, "uri");
    return new Builder(List.of(RedisURI.builder(uri).build()), false);
  }

  /**
   * Returns a builder for a log on the Redis Cluster that {@code seeds} belong to, such as {@code
   * redis://node1:7000} or {@code redis://:password@node1:7000,node2:7001} (several seed nodes, the
   * first one's credentials and options applying to all, as in Lettuce's {@code
   * RedisClusterClient}). Every key of the log carries one hash tag, {@code {<keyPrefix>}}, so that
   * the whole log lives in one slot: on one master and its replicas (see Limits above).
   *
   * @throws NullPointerException if {@code seeds} is null
   * @throws IllegalArgumentException if a seed is not a {@code redis://} or {@code rediss://} URI
   */
  static Builder clusterBuilder(String seeds) {
    Objects.requireNonNull(seeds, "seeds");
    return new Builder(LogSettings.seeds(seeds), true);
  }

  /**
   * Returns a builder for a log on the Redis Cluster of {@code seeds}, as {@link
   * #clusterBuilder(String)}; the URIs are copied.
   *
   * @throws NullPointerException if {@code seeds} or one of them is null
   * @throws IllegalArgumentException if {@code seeds} is empty or a seed is not a node URI
   */
  static Builder clusterBuilder(List<RedisURI> seeds) {
    return new Builder(LogSettings.seeds(seeds), true);
  }

  /** Returns the settings this log was built with. */
  Config config();

  /**
   * Returns a snapshot of this log's counters and state on this node: appends and their time,
   * {@link RedisUnavailableException}s of appends and replay lookups, what the reader read, its lag
   * and reconnects, and whether Redis is reachable. Cheap (a dozen reads, no Redis command): call
   * it for every scrape. The sse-micrometer module's {@code RedisLogMetrics} turns it into meters.
   */
  RedisLogStats stats();

  /**
   * The settings of a Redis event log: an immutable value; {@link #toBuilder()} starts a variant.
   *
   * <p><b>Thread safety:</b> immutable and thread-safe.
   */
  final class Config {
    private final List<RedisURI> uris;
    private final boolean cluster;
    private final String name;
    private final String keyPrefix;
    private final Retention retention;
    private final Duration closedTopicTtl;
    private final Duration commandTimeout;
    private final Duration readBlock;
    private final Duration presenceLease;

    private Config(Builder builder) {
      // Copied: a RedisURI is mutable, and this value must not change.
      this.uris = builder.uris.stream().map(uri -> RedisURI.builder(uri).build()).toList();
      this.cluster = builder.cluster;
      this.name = builder.name;
      this.keyPrefix = builder.keyPrefix;
      this.retention = builder.retention;
      this.closedTopicTtl = builder.closedTopicTtl;
      this.commandTimeout = builder.commandTimeout;
      this.readBlock = builder.readBlock;
      this.presenceLease = builder.presenceLease;
    }

    /** Returns a copy of the Redis URI (mutable), or of the first seed node on a cluster. */
    public RedisURI uri() {
      return RedisURI.builder(uris.get(0)).build();
    }

    /** Returns whether the log is on a Redis Cluster ({@link RedisEventLog#clusterBuilder}). */
    public boolean cluster() {
      return cluster;
    }

    /** Returns copies of the seed nodes of the cluster; not on a cluster, of the one URI. */
    public List<RedisURI> seeds() {
      return uris.stream().map(uri -> RedisURI.builder(uri).build()).toList();
    }

    /** Returns the name, used in thread names and log lines. */
    public String name() {
      return name;
    }

    /** Returns the prefix of every key the log uses. */
    public String keyPrefix() {
      return keyPrefix;
    }

    /** Returns how much history each topic keeps for replay. */
    public Retention retention() {
      return retention;
    }

    /** Returns how long a closed topic is remembered. */
    public Duration closedTopicTtl() {
      return closedTopicTtl;
    }

    /** Returns how long a Redis command (or connecting) may take. */
    public Duration commandTimeout() {
      return commandTimeout;
    }

    /** Returns how long each blocking read waits. */
    public Duration readBlock() {
      return readBlock;
    }

    /** Returns how long a node's presence members outlive its last renewal. */
    public Duration presenceLease() {
      return presenceLease;
    }

    /** Returns a builder that starts from these settings. */
    public Builder toBuilder() {
      Builder builder = new Builder(seeds(), cluster);
      builder.name = name;
      builder.keyPrefix = keyPrefix;
      builder.retention = retention;
      builder.closedTopicTtl = closedTopicTtl;
      builder.commandTimeout = commandTimeout;
      builder.readBlock = readBlock;
      builder.presenceLease = presenceLease;
      return builder;
    }

    /** Describes the settings; the URI is shown without credentials. */
    @Override
    public String toString() {
      return "RedisEventLog.Config" + LogSettings.describe(this);
    }
  }

  /**
   * Configures and builds a Redis event log. Each setter checks its argument at once: a null
   * argument throws {@link NullPointerException}, a value out of range {@link
   * IllegalArgumentException} naming the setting.
   *
   * <p>Defaults: key prefix {@code sse:}; {@link Retention#defaults()}; closed topics remembered
   * for 1 hour; 2 s command (and connect) timeout; each blocking read waits up to 500 ms; a 30 s
   * presence lease; name {@code log}.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  final class Builder {
    private final List<RedisURI> uris;
    private final boolean cluster;
    private String name = "log";
    private String keyPrefix = "sse:";
    private Retention retention = Retention.defaults();
    private Duration closedTopicTtl = Duration.ofHours(1);
    private Duration commandTimeout = Duration.ofSeconds(2);
    private Duration readBlock = Duration.ofMillis(500);
    private Duration presenceLease = Duration.ofSeconds(30);

    private Builder(List<RedisURI> uris, boolean cluster) {
      this.uris = uris;
      this.cluster = cluster;
    }

    /**
     * Names the log in its thread names ({@code ssekit-redis-<name>-...}) and log lines.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty, longer than 32 chars or not {@code
     *     [A-Za-z0-9_.-]}
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9_.-]{1,32}")) {
        throw new IllegalArgumentException("name must be 1-32 chars of [A-Za-z0-9_.-]: " + name);
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the prefix of every key the log uses. Nodes that share topics must use the same prefix;
     * logs with different prefixes share nothing.
     *
     * @throws NullPointerException if {@code keyPrefix} is null
     * @throws IllegalArgumentException if longer than 128 chars or it contains {@code {}, {@code }}
     *     (the log puts each topic in braces, as a Redis Cluster hash tag), or if it is empty on a
     *     cluster (braced, it is the hash tag of every key of the log there)
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.length() > 128) {
        throw new IllegalArgumentException(
            "keyPrefix longer than 128 chars: length " + keyPrefix.length());
      }
      if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException("keyPrefix must not contain { or }: " + keyPrefix);
      }
      if (cluster && keyPrefix.isEmpty()) {
        throw new IllegalArgumentException(
            "keyPrefix must not be empty on a Redis Cluster: it is the hash tag of the log's keys");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Sets how much history each topic keeps for replay: the newest {@link Retention#maxEvents()}
     * events, no older than {@link Retention#maxAge()}, of at most {@link Retention#maxBytes()}
     * encoded bytes. These bounds are exact for replay; Redis itself trims approximately and keeps
     * a little more (at least 1,000 entries and one minute), so that a node that falls briefly
     * behind still reads every event. {@link Retention#maxClosedTopics()} does not apply (see
     * {@link #closedTopicTtl}).
     *
     * @throws NullPointerException if {@code retention} is null
     */
    public Builder retention(Retention retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * Sets how long a closed topic is remembered (and refuses subscribers and publishes);
     * afterwards it is forgotten, and publishing to it starts it anew.
     *
     * @throws NullPointerException if {@code closedTopicTtl} is null
     * @throws IllegalArgumentException if less than 1 ms or more than 3650 days
     */
    public Builder closedTopicTtl(Duration closedTopicTtl) {
      this.closedTopicTtl =
          LogSettings.requireMillis(
              "closedTopicTtl", closedTopicTtl, Duration.ofMillis(1), Duration.ofDays(3650));
      return this;
    }

    /**
     * Sets how long a Redis command may take before it fails with {@link
     * RedisUnavailableException}; also the connect timeout.
     *
     * @throws NullPointerException if {@code commandTimeout} is null
     * @throws IllegalArgumentException if less than 1 ms or more than 10 minutes
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout =
          LogSettings.requireMillis(
              "commandTimeout", commandTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets how long each blocking read ({@code XREAD BLOCK}) of the log's index waits for new
     * entries before it starts over; it bounds how long closing the log waits for its reader.
     *
     * @throws NullPointerException if {@code readBlock} is null
     * @throws IllegalArgumentException if less than 1 ms or more than 60 s
     */
    public Builder readBlock(Duration readBlock) {
      this.readBlock =
          LogSettings.requireMillis(
              "readBlock", readBlock, Duration.ofMillis(1), Duration.ofSeconds(60));
      return this;
    }

    /**
     * Sets the lease of this node's presence members ({@link org.ssekit.HubIdentity#members}): the
     * node renews it every third of the lease; if it stops (it died, or lost Redis), the other
     * nodes drop its members within the lease plus a third of it.
     *
     * @throws NullPointerException if {@code presenceLease} is null
     * @throws IllegalArgumentException if less than 300 ms or more than 1 hour
     */
    public Builder presenceLease(Duration presenceLease) {
      this.presenceLease =
          LogSettings.requireMillis(
              "presenceLease", presenceLease, Duration.ofMillis(300), Duration.ofHours(1));
      return this;
    }

    /**
     * Returns these settings as an immutable value, without connecting; later changes to this
     * builder do not affect it.
     */
    public Config toConfig() {
      return new Config(this);
    }

    /**
     * Connects to Redis and returns the log; pass it to {@link org.ssekit.SseHub.Builder#eventLog},
     * which starts it and closes it with the hub. The builder can be reused.
     *
     * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
     * @throws IllegalStateException if Redis refuses the log's setup (a password or ACL problem, or
     *     Lua scripting disabled)
     */
    public RedisEventLog build() {
      return RealRedisEventLog.connect(toConfig());
    }

    /** Describes the settings; the URI is shown without credentials. */
    @Override
    public String toString() {
      return "RedisEventLog.Builder" + LogSettings.describe(toConfig());
    }
  }
}
