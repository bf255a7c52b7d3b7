package org.ssekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.ssekit.redis.RedisLogStats;
import org.ssekit.redis.RedisUnavailableException;

/**
 * Records what {@link RedisLogStats} reports, as the log works: the publish side from any thread,
 * the reader side from the reader thread only.
 *
 * <p><b>Why this shape.</b> The publish path must stay cheap: an append adds to two {@link
 * LongAdder}s (no lock, no allocation, no contention between publishing threads) and nothing else;
 * no histogram is kept, a monitoring system derives the mean latency from the count and the total.
 * The reader side has one writer, the reader thread, so it writes plain volatile fields (a
 * read-modify-write of a volatile is safe with one writer) that {@link #snapshot()} reads.
 *
 * <p><b>Reader lag.</b> {@code caughtUpNanos} is when the reader last had every entry Redis held:
 * the receipt of a read that returned fewer entries than it asked for, once they were reported
 * (Redis answers a read with every entry it holds up to the count, so nothing older was left).
 * While a blocking read waits within its block time (plus {@link #OVERDUE_GRACE_NANOS}), a new
 * entry would end it at once, so the lag is frozen at the read's start; otherwise (reporting a
 * backlog, a read overdue, Redis away) it grows with the clock. Two volatile fields read without a
 * lock may be one turn apart: the lag is exact to one read turn, and never negative.
 *
 * <p><b>Thread safety:</b> thread-safe: {@link #readerReconnected} is called by a Lettuce thread,
 * the other {@code read*} methods and {@link #entriesMissed} by the reader thread only, the rest by
 * any thread.
 */
final class LogStatsRecorder {
  /** How late a blocking read may answer after its block time before it counts as overdue. */
  static final long OVERDUE_GRACE_NANOS = Duration.ofMillis(250).toNanos();

  private final String endpoint;
  private final LongSupplier clock;
  private final BooleanSupplier connectionsOpen;

  private final LongAdder appends = new LongAdder();
  private final LongAdder appendTotalNanos = new LongAdder();
  private final LongAdder appendsUnavailable = new LongAdder();
  private final LongAdder replaysUnavailable = new LongAdder();

  // Written by Lettuce's I/O thread of the reader connection, one at a time.
  private final LongAdder readerReconnects = new LongAdder();

  // Written by the reader thread only; volatile for the snapshots.
  private volatile long entriesRead;
  private volatile long entriesMissed;
  private volatile long caughtUpNanos;
  private volatile long readStartNanos; // the blocking read in flight, or 0
  private volatile long readOverdueNanos; // when the read in flight becomes overdue
  private volatile long failingSinceNanos; // 0 unless the reader is failing
  private volatile String failure; // why it fails, or null

  /**
   * @param endpoint where Redis is, without credentials, for the unreachable reason
   * @param clock {@link System#nanoTime()}, or a test's clock
   * @param connectionsOpen whether the command and reader connections are open
   */
  LogStatsRecorder(String endpoint, LongSupplier clock, BooleanSupplier connectionsOpen) {
    this.endpoint = endpoint;
    this.clock = clock;
    this.connectionsOpen = connectionsOpen;
    this.caughtUpNanos = clock.getAsLong();
  }

  /** Returns the clock's time, for {@link #appended}. */
  long now() {
    return clock.getAsLong();
  }

  /** Records an append that started at {@code startNanos} and ended with {@code failure}. */
  void appended(long startNanos, Throwable failure) {
    if (failure == null) {
      appendTotalNanos.add(clock.getAsLong() - startNanos);
      appends.increment();
    } else if (RedisFailures.unwrap(failure) instanceof RedisUnavailableException) {
      appendsUnavailable.increment();
    }
  }

  /** Records a replay lookup that ended with {@code failure}, or null. */
  void replayLookedUp(Throwable failure) {
    if (failure != null && RedisFailures.unwrap(failure) instanceof RedisUnavailableException) {
      replaysUnavailable.increment();
    }
  }

  /** Called by the reader as it starts a read that may block up to {@code blockMillis}. */
  void readStarting(long blockMillis) {
    long now = clock.getAsLong();
    readOverdueNanos = now + blockMillis * 1_000_000 + OVERDUE_GRACE_NANOS;
    readStartNanos = now;
  }

  /**
   * Called by the reader once it reported the {@code indexEntries} entries of a read that asked for
   * at most {@code count}; {@code receivedNanos} is when the read's answer arrived.
   */
  void readReported(long receivedNanos, int indexEntries, int count) {
    entriesRead += indexEntries;
    if (indexEntries < count) {
      caughtUpNanos = receivedNanos;
    }
    if (failingSinceNanos != 0) {
      failingSinceNanos = 0;
      failure = null;
    }
  }

  /** Called when the reader connection was connected again after it dropped. */
  void readerReconnected() {
    readerReconnects.increment();
  }

  /** Called by the reader when a read answered: the read is no longer in flight. */
  void readAnswered() {
    readStartNanos = 0;
  }

  /** Called by the reader when a read failed with {@code cause}. */
  void readFailed(Throwable cause) {
    readStartNanos = 0;
    // The class only: a message may repeat the URI, which may carry a password.
    failure = "reader cannot read from " + endpoint + ": " + cause.getClass().getSimpleName();
    if (failingSinceNanos == 0) {
      failingSinceNanos = clock.getAsLong();
    }
  }

  /** Called by the reader when Redis trimmed {@code missed} entries before it read them. */
  void entriesMissed(long missed) {
    entriesMissed += missed;
  }

  /** Returns a snapshot of the counters and of the reader's state now. */
  RedisLogStats snapshot() {
    long now = clock.getAsLong();
    long caughtUp = caughtUpNanos;
    long readStart = readStartNanos;
    long lagUntil = readStart != 0 && now - readOverdueNanos <= 0 ? readStart : now;
    RedisLogStats.Builder stats =
        RedisLogStats.builder()
            .appends(appends.sum(), appendTotalNanos.sum())
            .unavailable(appendsUnavailable.sum(), replaysUnavailable.sum())
            .reader(
                entriesRead,
                entriesMissed,
                readerReconnects.sum(),
                Duration.ofNanos(Math.max(0, lagUntil - caughtUp)));
    long failingSince = failingSinceNanos;
    String reason = failure;
    if (!connectionsOpen.getAsBoolean()) {
      long since = failingSince != 0 ? failingSince : now;
      stats.unreachable(
          Duration.ofNanos(Math.max(0, now - since)), "connection to " + endpoint + " closed");
    } else if (failingSince != 0 && reason != null) {
      stats.unreachable(Duration.ofNanos(Math.max(0, now - failingSince)), reason);
    }
    return stats.build();
  }
}
