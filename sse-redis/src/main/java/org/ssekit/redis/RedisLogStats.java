package org.ssekit.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a {@link RedisEventLog}'s counters and state on this node, from {@link
 * RedisEventLog#stats()}: appends and their time, {@link RedisUnavailableException}s, what the
 * reader read, how far behind it is, its reconnects, and whether Redis is reachable. Counters count
 * since the log was built and never decrease.
 *
 * <p>Publish latency is kept as a count and a total ({@link #appends()}, {@link
 * #appendTotalNanos()}), no histogram: a monitoring system derives the mean over any interval from
 * two scrapes, and the publish path pays two additions and no allocation.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class RedisLogStats {
  private final long appends;
  private final long appendTotalNanos;
  private final long appendsUnavailable;
  private final long replaysUnavailable;
  private final long entriesRead;
  private final long entriesMissed;
  private final long readerReconnects;
  private final Duration readerLag;
  private final boolean reachable;
  private final Duration unreachableFor;
  private final String unreachableReason;

  private RedisLogStats(Builder builder) {
    this.appends = builder.appends;
    this.appendTotalNanos = builder.appendTotalNanos;
    this.appendsUnavailable = builder.appendsUnavailable;
    this.replaysUnavailable = builder.replaysUnavailable;
    this.entriesRead = builder.entriesRead;
    this.entriesMissed = builder.entriesMissed;
    this.readerReconnects = builder.readerReconnects;
    this.readerLag = builder.readerLag;
    this.reachable = builder.unreachableReason == null;
    this.unreachableFor = reachable ? Duration.ZERO : builder.unreachableFor;
    this.unreachableReason = builder.unreachableReason;
  }

  /** Returns a builder of a snapshot with every value zero and Redis reachable; for tests. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the appends (publishes) through this log that completed: the event is in Redis and this
   * node's reader reported it to the hub.
   */
  public long appends() {
    return appends;
  }

  /**
   * Returns the total time of the {@link #appends()}, in nanoseconds: each from the call to the
   * completion of its stage (the script in Redis, then this node's reader reporting the entry).
   */
  public long appendTotalNanos() {
    return appendTotalNanos;
  }

  /** Returns the appends that failed with {@link RedisUnavailableException}. */
  public long appendsUnavailable() {
    return appendsUnavailable;
  }

  /**
   * Returns the replay lookups (a subscriber opening, with or without {@code Last-Event-ID}, of a
   * topic or a selection) that failed with {@link RedisUnavailableException}.
   */
  public long replaysUnavailable() {
    return replaysUnavailable;
  }

  /** Returns the entries of the log's index (events and closings) the reader reported. */
  public long entriesRead() {
    return entriesRead;
  }

  /**
   * Returns the entries of the log's index that Redis trimmed before this node's reader read them:
   * their events never reached this node's subscribers (the reader fell too far behind).
   */
  public long entriesMissed() {
    return entriesMissed;
  }

  /**
   * Returns how many times the reader's connection to Redis was connected again after it dropped
   * (Redis restarted, or the network cut it): about one per outage. A Redis that hangs without
   * dropping the connection shows in {@link #readerLag()}, not here.
   */
  public long readerReconnects() {
    return readerReconnects;
  }

  /**
   * Returns how far this node's reader is behind the log: how long ago it last had every entry
   * Redis held. Zero (within one read turn) while it waits in a blocking read within its {@link
   * RedisEventLog.Config#readBlock() read block}: a new entry ends that wait at once. It grows
   * while the reader is busy behind a backlog, while its read is overdue (Redis hangs), and while
   * Redis is away; it returns to about zero once a read finds nothing more to read.
   */
  public Duration readerLag() {
    return readerLag;
  }

  /**
   * Returns true unless one of the log's two connections is down or the reader is failing to read
   * (a command timed out, or failed): false from the first failure until both connections are back
   * and a read succeeded.
   */
  public boolean reachable() {
    return reachable;
  }

  /** Returns how long Redis has been unreachable, or zero if it is reachable. */
  public Duration unreachableFor() {
    return unreachableFor;
  }

  /**
   * Returns why Redis is unreachable (such as {@code "connection to host:6379 closed"} or {@code
   * "reader cannot read from host:6379: RedisCommandTimeoutException"}), or empty if it is
   * reachable. Names the endpoint, never the Redis URI (it may carry a password).
   */
  public Optional<String> unreachableReason() {
    return Optional.ofNullable(unreachableReason);
  }

  /** Returns true if {@code o} is a snapshot with the same values. */
  @Override
  public boolean equals(Object o) {
    return o instanceof RedisLogStats other
        && appends == other.appends
        && appendTotalNanos == other.appendTotalNanos
        && appendsUnavailable == other.appendsUnavailable
        && replaysUnavailable == other.replaysUnavailable
        && entriesRead == other.entriesRead
        && entriesMissed == other.entriesMissed
        && readerReconnects == other.readerReconnects
        && readerLag.equals(other.readerLag)
        && unreachableFor.equals(other.unreachableFor)
        && Objects.equals(unreachableReason, other.unreachableReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        appends,
        appendTotalNanos,
        appendsUnavailable,
        replaysUnavailable,
        entriesRead,
        entriesMissed,
        readerReconnects,
        readerLag,
        unreachableFor,
        unreachableReason);
  }

  @Override
  public String toString() {
    return "RedisLogStats{appends="
        + appends
        + ", appendTotalNanos="
        + appendTotalNanos
        + ", appendsUnavailable="
        + appendsUnavailable
        + ", replaysUnavailable="
        + replaysUnavailable
        + ", entriesRead="
        + entriesRead
        + ", entriesMissed="
        + entriesMissed
        + ", readerReconnects="
        + readerReconnects
        + ", readerLag="
        + readerLag
        + ", reachable="
        + reachable
        + (reachable ? "" : ", unreachableFor=" + unreachableFor + ", reason=" + unreachableReason)
        + "}";
  }

  /**
   * Builds a {@link RedisLogStats}; for the log and for tests. Every value starts at zero, Redis
   * reachable.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private long appends;
    private long appendTotalNanos;
    private long appendsUnavailable;
    private long replaysUnavailable;
    private long entriesRead;
    private long entriesMissed;
    private long readerReconnects;
    private Duration readerLag = Duration.ZERO;
    private Duration unreachableFor = Duration.ZERO;
    private String unreachableReason;

    private Builder() {}

    /**
     * Sets the completed appends and their total time.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    public Builder appends(long appends, long appendTotalNanos) {
      this.appends = requireCount("appends", appends);
      this.appendTotalNanos = requireCount("appendTotalNanos", appendTotalNanos);
      return this;
    }

    /**
     * Sets the appends and replay lookups that failed with {@link RedisUnavailableException}.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    public Builder unavailable(long appendsUnavailable, long replaysUnavailable) {
      this.appendsUnavailable = requireCount("appendsUnavailable", appendsUnavailable);
      this.replaysUnavailable = requireCount("replaysUnavailable", replaysUnavailable);
      return this;
    }

    /**
     * Sets what the reader did: entries read and missed, reconnects, and its lag.
     *
     * @throws NullPointerException if {@code readerLag} is null
     * @throws IllegalArgumentException if a count or the lag is negative
     */
    public Builder reader(
        long entriesRead, long entriesMissed, long readerReconnects, Duration readerLag) {
      this.entriesRead = requireCount("entriesRead", entriesRead);
      this.entriesMissed = requireCount("entriesMissed", entriesMissed);
      this.readerReconnects = requireCount("readerReconnects", readerReconnects);
      Objects.requireNonNull(readerLag, "readerLag");
      if (readerLag.isNegative()) {
        throw new IllegalArgumentException("readerLag < 0: " + readerLag);
      }
      this.readerLag = readerLag;
      return this;
    }

    /**
     * Marks Redis unreachable for {@code unreachableFor}, because of {@code reason}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code unreachableFor} is negative or {@code reason} is
     *     empty
     */
    public Builder unreachable(Duration unreachableFor, String reason) {
      Objects.requireNonNull(unreachableFor, "unreachableFor");
      Objects.requireNonNull(reason, "reason");
      if (unreachableFor.isNegative()) {
        throw new IllegalArgumentException("unreachableFor < 0: " + unreachableFor);
      }
      if (reason.isEmpty()) {
        throw new IllegalArgumentException("reason is empty");
      }
      this.unreachableFor = unreachableFor;
      this.unreachableReason = reason;
      return this;
    }

    /** Returns the snapshot; the builder may be changed and used again. */
    public RedisLogStats build() {
      return new RedisLogStats(this);
    }

    private static long requireCount(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " < 0: " + value);
      }
      return value;
    }
  }
}
