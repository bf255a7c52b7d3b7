package org.ssekit.redis.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ssekit.Retention;

/**
 * How Redis trims a topic's stream and the log's index, derived from the retention: Redis keeps at
 * least what the retention keeps, and never less than {@value #MIN_STREAM_ENTRIES} entries per
 * topic, ten times the retention's event count (at least {@value #MIN_LOG_ENTRIES}, at most {@value
 * #MAX_LOG_ENTRIES}) in the index, and one minute, so that a node whose reader fell briefly behind
 * still reads every event. Replay applies the exact retention on top (see {@link ReplayReply}).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param maxLength the approximate {@code MAXLEN} of every {@code XADD}, as the append script's
 *     argument
 * @param minAgeMillis the age below which entries are not trimmed and after which an idle topic
 *     expires, in ms, as the append script's argument; {@code 0} for none
 * @param logMaxLength the approximate {@code MAXLEN} of the log's index stream (which the same age
 *     trims too), and the most index entries a selection's lookup reads
 * @param metaTtlMillis how long a topic's meta hash (its epoch and newest id) outlives its last
 *     event, in ms, as the append script's argument ({@code 0} for ever): {@value
 *     #MIN_META_TTL_MILLIS} ms or the idle expiry if longer, so that a client that presents an idle
 *     topic's newest id after its events expired is known, not told of a gap it did not have
 */
record StreamTrim(String maxLength, String minAgeMillis, int logMaxLength, String metaTtlMillis) {
  /** The fewest entries a stream keeps, whatever the retention. */
  static final int MIN_STREAM_ENTRIES = 1000;

  /**
   * The fewest entries the log's index keeps, whatever the retention: a selection resumes exactly
   * only while the index still holds its id (and no more than this many entries came after it).
   */
  static final int MIN_LOG_ENTRIES = 10_000;

  /** The most entries the log's index keeps, whatever the retention. */
  static final int MAX_LOG_ENTRIES = 1_000_000;

  /** The shortest time a stream keeps entries and an idle topic is kept, in ms. */
  static final long MIN_STREAM_AGE_MILLIS = 60_000;

  /** The shortest time a topic's meta hash outlives its last event: one day, in ms. */
  static final long MIN_META_TTL_MILLIS = 86_400_000;

  /** Longer ages than this are not enforced in Redis (no expiry, no trimming by age). */
  static final long MAX_ENFORCED_AGE_MILLIS = TimeUnit.DAYS.toMillis(3650);

  /** Returns the trimming of streams kept for {@code retention}. */
  static StreamTrim of(Retention retention) {
    long maxAgeMillis = maxAgeMillis(retention);
    long idleMillis =
        maxAgeMillis > MAX_ENFORCED_AGE_MILLIS ? 0 : Math.max(maxAgeMillis, MIN_STREAM_AGE_MILLIS);
    return new StreamTrim(
        Integer.toString(Math.max(retention.maxEvents(), MIN_STREAM_ENTRIES)),
        Long.toString(idleMillis),
        (int) Math.min(MAX_LOG_ENTRIES, Math.max(MIN_LOG_ENTRIES, 10L * retention.maxEvents())),
        Long.toString(idleMillis == 0 ? 0 : Math.max(idleMillis, MIN_META_TTL_MILLIS)));
  }

  /** Returns the retention's maximum age in ms, or {@link Long#MAX_VALUE} if it is longer. */
  static long maxAgeMillis(Retention retention) {
    Duration maxAge = retention.maxAge();
    try {
      return maxAge.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
