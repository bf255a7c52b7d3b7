package org.ssekit.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line ends (CR or LF bytes) for {@link EventStreamParser} eight bytes at a time: most of a
 * stream's bytes are inside lines, and on long lines (a JSON document in one {@code data:} line) a
 * byte-at-a-time scan is most of the parser's work.
 *
 * <p>Each step reads eight bytes as one little-endian {@code long} and marks the bytes equal to CR
 * or to LF with the classic "has a zero byte" test on {@code word ^ (CR in every byte)}: {@code (x
 * - 0x01..01) & ~x & 0x80..80} sets the high bit of every zero byte of {@code x}, and may also mark
 * bytes above a zero byte (a borrow travels up), never below one. The lowest marked byte is
 * therefore always a true match, and it is the first in stream order, as the view is little-endian.
 * A byte 0x8A or 0x8D is not marked: its high bit is cleared by {@code ~x}.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class LineEnds {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long CRS = ONES * '\r';
  private static final long LFS = ONES * '\n';

  private LineEnds() {}

  /** Returns the index of the first CR or LF byte in bytes[from, to), or {@code to} if none. */
  static int find(byte[] bytes, int from, int to) {
    int i = from;
    for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long marked = zeroBytes(word ^ CRS) | zeroBytes(word ^ LFS);
      if (marked != 0) {
        return i + (Long.numberOfTrailingZeros(marked) >>> 3);
      }
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return to;
  }

  /** Marks the zero bytes of x in their high bit (exact for the lowest; see the class comment). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGH_BITS;
  }
}
