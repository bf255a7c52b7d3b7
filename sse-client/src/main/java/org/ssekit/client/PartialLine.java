package org.ssekit.client;

import java.util.Arrays;

/**
 * The limits on one line for {@link EventStreamParser}, and the bytes of a line that began in an
 * earlier chunk and has not ended yet. The buffer keeps the size of the longest such line seen.
 *
 * <p><b>Thread safety:</b> not thread-safe; confined to its parser's thread.
 */
final class PartialLine {
  private static final int INITIAL_BUFFER_BYTES = 256;

  private final Utf8Text text;
  private final int maxLineChars;
  private final long maxBufferedBytes;
  private static final byte[] NONE = new byte[0];

  /**
   * Allocated when a line first spans chunks: with network-sized chunks most lines lie in one, and
   * a load client holds thousands of parsers.
   */
  private byte[] bytes = NONE;

  private int length;

  /**
   * Creates the buffer of one parser: a line may have {@code maxLineChars} chars, and so at most
   * {@code maxBufferedBytes} bytes.
   */
  PartialLine(Utf8Text text, int maxLineChars, long maxBufferedBytes) {
    this.text = text;
    this.maxLineChars = maxLineChars;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /** Returns true if no line is pending. */
  boolean isEmpty() {
    return length == 0;
  }

  /** Returns the buffer, whose first {@link #length()} bytes are the pending line. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Forgets the pending line; its bytes stay readable until the next {@link #append}. */
  void clear() {
    length = 0;
  }

  /**
   * Appends src[offset, offset + count) to the pending line.
   *
   * @throws IllegalStateException if the line gets longer than a line may be
   */
  void append(byte[] src, int offset, int count) {
    if (count == 0) {
      return;
    }
    long needed = (long) length + count;
    if (needed > maxBufferedBytes) {
      throw tooLong();
    }
    if (needed > bytes.length) {
      bytes =
          Arrays.copyOf(
              bytes, Math.max(INITIAL_BUFFER_BYTES, Utf8Text.grownCapacity(bytes.length, needed)));
    }
    System.arraycopy(src, offset, bytes, length, count);
    length = (int) needed;
  }

  /**
   * Checks the complete line in line[offset, offset + count).
   *
   * @throws IllegalStateException if it has more than maxLineChars chars
   */
  void check(byte[] line, int offset, int count) {
    // A line has at most as many chars as bytes, so only long lines need decoding to be measured.
    if (count > maxLineChars
        && (count > maxBufferedBytes || text.decode(line, offset, count) > maxLineChars)) {
      throw tooLong();
    }
  }

  private IllegalStateException tooLong() {
    return new IllegalStateException("line length > maxLineChars: " + maxLineChars);
  }
}
