package org.ssekit.client.internal;

import java.time.Duration;

/**
 * The adaptive read timeout: learns the server's keep-alive interval from the comments it sends.
 *
 * <p>A server that sends keep-alive comments writes something at least every interval, so the
 * longest time between two comments of one connection is at least that interval. Once two such
 * intervals have been seen, the timeout is twice the longest (at least 1 s), and so never shorter
 * than the server's interval; before, it is the initial timeout (or twice the longest interval, if
 * that is longer). What is learnt carries over to the next connections of the source.
 *
 * <p><b>Thread safety:</b> not thread-safe; the source guards it with its lock.
 */
final class KeepAliveRhythm {
  private static final long NONE = Long.MIN_VALUE;
  private static final int INTERVALS_NEEDED = 2;

  /** The shortest learnt timeout, so that scheduling noise on a busy machine kills no stream. */
  private static final long MIN_LEARNT_NANOS = Duration.ofSeconds(1).toNanos();

  private final long initialNanos;
  private long lastCommentNanos = NONE;
  private long longestNanos;
  private int intervals;

  KeepAliveRhythm(Duration initial) {
    this.initialNanos = initial.toNanos();
  }

  /** Starts a new connection: the next comment starts a new interval. */
  void connectionOpened() {
    lastCommentNanos = NONE;
  }

  /** Records a comment received at {@code nowNanos}; returns true if the timeout changed. */
  boolean comment(long nowNanos) {
    long before = timeoutNanos();
    if (lastCommentNanos != NONE) {
      longestNanos = Math.max(longestNanos, nowNanos - lastCommentNanos);
      intervals++;
    }
    lastCommentNanos = nowNanos;
    return timeoutNanos() != before;
  }

  /** Returns the read timeout now, in nanoseconds. */
  long timeoutNanos() {
    long twice = longestNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * longestNanos;
    return intervals >= INTERVALS_NEEDED
        ? Math.max(MIN_LEARNT_NANOS, twice)
        : Math.max(initialNanos, twice);
  }
}
