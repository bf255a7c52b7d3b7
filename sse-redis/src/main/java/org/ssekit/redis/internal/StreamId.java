package org.ssekit.redis.internal;

/**
 * A Redis stream entry id, {@code <ms>-<seq>}, ordered as Redis orders entries: by milliseconds,
 * then by sequence, both as numbers.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param ms the milliseconds part
 * @param seq the sequence part
 */
record StreamId(long ms, long seq) implements Comparable<StreamId> {
  /** The id before every entry: reading after it reads a whole stream. */
  static final StreamId ZERO = new StreamId(0, 0);

  /** Parses {@code <ms>-<seq>} (decimal digits only, as Redis writes them), or returns null. */
  static StreamId parse(String text) {
    return parse(text, 0, text.length());
  }

  /** Parses {@code text[start, end)} as {@code <ms>-<seq>}, or returns null. */
  static StreamId parse(String text, int start, int end) {
    int dash = text.indexOf('-', start);
    if (dash < 0 || dash >= end) {
      return null;
    }
    long ms = parseDecimal(text, start, dash);
    long seq = parseDecimal(text, dash + 1, end);
    return ms < 0 || seq < 0 ? null : new StreamId(ms, seq);
  }

  /** Parses 1-18 decimal digits (so that the value fits a long), or returns -1. */
  private static long parseDecimal(String text, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 18) {
      return -1;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  @Override
  public int compareTo(StreamId other) {
    int byMs = Long.compare(ms, other.ms);
    return byMs != 0 ? byMs : Long.compare(seq, other.seq);
  }

  /** Returns the id as Redis writes it. */
  @Override
  public String toString() {
    return ms + "-" + seq;
  }
}
