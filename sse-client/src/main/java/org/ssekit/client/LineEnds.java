package org.ssekit.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line ends (CR or LF bytes) for {@link EventStreamParser} eight bytes at a time: most of a
 * stream's bytes are inside lines, and on long lines (a JSON document in one {@code data:} line) a
 * byte-at-a-time scan is most of the parser's work.
 *
 * <p>Each step reads eight bytes as one little-endian {@code long} and marks the bytes below 0x0E
 * (CR is 0x0D, LF 0x0A) with the classic "has a byte less than n" test: {@code (x - 0x0E..0E) & ~x
 * & 0x80..80} sets the high bit of every byte of {@code x} below 0x0E, and may also mark bytes
 * above such a byte (a borrow travels up), never below one. The lowest marked byte is therefore
 * always a true match, and it is the first in stream order, as the view is little-endian. A byte of
 * 0x80 or more is not marked: its high bit is cleared by {@code ~x}. One test for both line ends is
 * three operations a word where a test per byte value took nine; the price is a check of the byte
 * found, since the other control bytes below 0x0E (tab, NUL, ...) are marked too and are stepped
 * over.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class LineEnds {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** One more than the larger line end, CR, in every byte. */
  private static final long BOUNDS = ONES * ('\r' + 1);

  private LineEnds() {}

  /** Returns the index of the first CR or LF byte in bytes[from, to), or {@code to} if none. */
  static int find(byte[] bytes, int from, int to) {
    int i = from;
    int last = to - Long.BYTES;
    while (i <= last) {
      long word = (long) LONGS.get(bytes, i);
      long marked = (word - BOUNDS) & ~word & HIGH_BITS;
      if (marked == 0) {
        i += Long.BYTES;
        continue;
      }
      int at = i + (Long.numberOfTrailingZeros(marked) >>> 3);
      byte b = bytes[at];
      if (b == '\n' || b == '\r') {
        return at;
      }
      i = at + 1; // another control byte: go on after it
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return to;
  }
}
