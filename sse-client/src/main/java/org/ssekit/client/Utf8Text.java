package org.ssekit.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes complete UTF-8 values (a line, a field value) for {@link EventStreamParser}, replacing
 * malformed input exactly as the WHATWG "UTF-8 decode" that browsers use does: one U+FFFD per
 * maximal subpart. Its buffer keeps the size of the longest value seen.
 *
 * <p><b>Thread safety:</b> not thread-safe; confined to its parser's thread.
 */
final class Utf8Text {
  /** The largest array some JVMs can allocate. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private static final int INITIAL_BUFFER_CHARS = 256;

  /**
   * Reports malformed input, which {@link #decode} replaces as the WHATWG decoder does. Created
   * with the buffer on first use: most streams never need either, and a load client holds
   * thousands.
   */
  private CharsetDecoder decoder;

  private CharBuffer decoded;

  /** Returns the text of bytes[offset, offset + length). */
  String toString(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return "";
    }
    // The JDK decodes valid UTF-8 as the WHATWG decoder does, and fast: ASCII takes one vectorized
    // check and a copy. It replaces malformed input differently, but always with at least one
    // U+FFFD; only then (or for a U+FFFD in the input) is the exact decoder needed.
    String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
    if (text.indexOf('\ufffd') < 0) {
      return text;
    }
    int chars = decode(bytes, offset, length);
    return new String(decoded.array(), 0, chars);
  }

  /**
   * Decodes bytes[offset, offset + length), a complete line or value, into the buffer, and returns
   * the number of chars.
   */
  int decode(byte[] bytes, int offset, int length) {
    // UTF-8 never decodes to more chars than bytes: a 4-byte sequence is 2 chars, a malformed one
    // 1.
    if (decoder == null) {
      decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      decoded = CharBuffer.allocate(Math.max(INITIAL_BUFFER_CHARS, length));
    } else if (decoded.capacity() < length) {
      decoded = CharBuffer.allocate(grownCapacity(decoded.capacity(), length));
    }
    decoded.clear();
    decoder.reset();
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    while (true) {
      CoderResult result = decoder.decode(in, decoded, true);
      if (result.isUnderflow()) {
        result = decoder.flush(decoded);
        if (result.isUnderflow()) {
          return decoded.position();
        }
      }
      if (result.isOverflow()) {
        throw new IllegalStateException("UTF-8 decoder overflowed: " + result);
      }
      int skip = result.length();
      if (skip > 1 && in.get(in.position()) == (byte) 0xED) {
        // The JDK replaces an encoded surrogate (ED A0..BF ..) as one sequence; WHATWG takes the ED
        // alone, as no UTF-8 sequence starts with those two bytes, then each continuation byte.
        skip = 1;
      }
      in.position(in.position() + skip);
      decoded.put('\ufffd');
    }
  }

  /** Returns the capacity a buffer of {@code capacity} grows to when it needs {@code needed}. */
  static int grownCapacity(int capacity, long needed) {
    return (int) Math.min(MAX_ARRAY_LENGTH, Math.max(needed, 2L * capacity));
  }
}
