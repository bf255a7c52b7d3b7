package org.ssekit.benchmarks;

/**
 * One client's check of a single-topic event sequence: each event must carry the next expected
 * sequence number. An event below it was received before (a duplicate); one above it skipped the
 * events in between (lost). The load client keeps one per client, across reconnects, so that an
 * event a replay sends twice or misses after a {@code Last-Event-ID} resume is counted.
 *
 * <p><b>Thread safety:</b> not thread-safe; confined to the load client's selector thread.
 */
final class SequenceCheck {
  /** What {@link #accept} returns for a duplicate. */
  static final long DUPLICATE = -1;

  private long next;

  /** Expects {@code from} next (the start of a phase); what came before is forgotten. */
  void expect(long from) {
    next = from;
  }

  /** Returns the sequence number expected next. */
  long next() {
    return next;
  }

  /**
   * Checks {@code seq}, the next event received.
   *
   * @return 0 if it is the one expected, {@link #DUPLICATE} if it was received before, or else the
   *     number of events lost before it
   */
  long accept(long seq) {
    if (seq == next) {
      next++;
      return 0;
    }
    if (seq < next) {
      return DUPLICATE;
    }
    long lost = seq - next;
    next = seq + 1;
    return lost;
  }
}
