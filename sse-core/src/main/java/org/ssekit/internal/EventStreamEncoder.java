package org.ssekit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ssekit.ServerSentEvent;

/**
 * Encodes events into the {@code text/event-stream} format of the WHATWG HTML standard
 * ("Server-sent events", "Event stream format"): UTF-8, LF line ends, {@code field: value} with one
 * space.
 *
 * <p>Data and comments are split on CRLF, CR and LF, one {@code data:} (or {@code :}) line per
 * piece, keeping empty and trailing pieces, so data {@code "a\n\nb\n"} reaches a browser as exactly
 * that. A field whose value is empty is written as the bare name and colon ({@code data:}). Every
 * event ends in a blank line and always carries at least one {@code data:} line, so even empty data
 * dispatches an event.
 *
 * <p>Not API: the hub encodes every event it sends; applications build {@link ServerSentEvent}s.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class EventStreamEncoder {
  // Field names with their colon; a space and the value follow unless the value is empty.
  private static final byte[] COMMENT = {':'};
  private static final byte[] ID = ascii("id:");
  private static final byte[] EVENT = ascii("event:");
  private static final byte[] RETRY = ascii("retry:");
  private static final byte[] DATA = ascii("data:");

  private EventStreamEncoder() {}

  /**
   * Returns the UTF-8 bytes of {@code event}, ending in a blank line. The caller owns the array.
   *
   * @throws NullPointerException if {@code event} is null
   */
  public static byte[] encode(ServerSentEvent event) {
    Objects.requireNonNull(event, "event");
    // Each value is turned into UTF-8 once, measured, then copied into one array of the exact size.
    // The
    // builder has rejected unpaired surrogates, so getBytes never substitutes a replacement byte.
    int headSize = 0;
    List<String> comments = event.comments();
    byte[][] commentBytes = null;
    if (!comments.isEmpty()) {
      commentBytes = new byte[comments.size()][];
      for (int i = 0; i < commentBytes.length; i++) {
        commentBytes[i] = comments.get(i).getBytes(StandardCharsets.UTF_8);
        headSize = putLines(null, headSize, COMMENT, comments.get(i), commentBytes[i]);
      }
    }
    byte[] id = utf8OrNull(event.id());
    if (id != null) {
      headSize += fieldSize(ID, id.length);
    }
    byte[] type = utf8OrNull(event.event());
    if (type != null) {
      headSize += fieldSize(EVENT, type.length);
    }
    byte[] retry =
        event.retry() == null
            ? null
            : Long.toString(event.retry().toMillis()).getBytes(StandardCharsets.US_ASCII);
    if (retry != null) {
      headSize += fieldSize(RETRY, retry.length);
    }
    String data = event.data();
    // String.indexOf(char) is a vectorized intrinsic: single-line data, the common case, is copied
    // once
    // and never walked by a Java loop.
    boolean singleLine = data.indexOf('\n') < 0 && data.indexOf('\r') < 0;
    if (singleLine && ServerSentEvents.hasAsciiData(event)) {
      return encodeAsciiLine(data, headSize, comments, commentBytes, id, type, retry);
    }
    byte[] dataBytes = data.getBytes(StandardCharsets.UTF_8);
    if (singleLine) {
      int size = headSize + fieldSize(DATA, dataBytes.length) + 1;
      byte[] out = new byte[size];
      // The data goes in first, straight after the allocation: C2 then skips zeroing the bytes it
      // overwrites, which saves about a third of the time on EncoderBenchmark's 4 KiB payload.
      System.arraycopy(dataBytes, 0, out, size - 2 - dataBytes.length, dataBytes.length);
      return putLineAround(
          out, dataBytes.length, headSize, comments, commentBytes, id, type, retry);
    }
    byte[] out = new byte[putLines(null, headSize, DATA, data, dataBytes) + 1];
    int pos =
        putLines(out, putHead(out, comments, commentBytes, id, type, retry), DATA, data, dataBytes);
    out[pos++] = '\n';
    assert pos == out.length : "sized " + out.length + " bytes, wrote " + pos;
    return out;
  }

  /**
   * Encodes an event whose data is one line of ASCII, copying the data straight from the string.
   */
  @SuppressWarnings(
      "deprecation") // getBytes(int, int, byte[], int) copies each char's low byte: exact for ASCII
  private static byte[] encodeAsciiLine(
      String data,
      int headSize,
      List<String> comments,
      byte[][] commentBytes,
      byte[] id,
      byte[] type,
      byte[] retry) {
    int n = data.length();
    int size = headSize + fieldSize(DATA, n) + 1;
    byte[] out = new byte[size];
    // The data goes in first, straight after the allocation, as in encode.
    data.getBytes(0, n, out, size - 2 - n);
    return putLineAround(out, n, headSize, comments, commentBytes, id, type, retry);
  }

  /**
   * Completes {@code out}, whose last {@code dataLength + 2} bytes hold a single data line's value
   * and room for the blank line: writes the head, the {@code data:} name (and its space) and the
   * line ends.
   */
  private static byte[] putLineAround(
      byte[] out,
      int dataLength,
      int headSize,
      List<String> comments,
      byte[][] commentBytes,
      byte[] id,
      byte[] type,
      byte[] retry) {
    int pos = putHead(out, comments, commentBytes, id, type, retry);
    assert pos == headSize : "sized the head " + headSize + " bytes, wrote " + pos;
    System.arraycopy(DATA, 0, out, pos, DATA.length);
    if (dataLength > 0) {
      out[pos + DATA.length] = ' ';
    }
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  /**
   * Returns the bytes of a comment (clients ignore it), one {@code :} line per line of {@code
   * comment}. No blank line follows, so a comment never ends or starts an event.
   *
   * @throws NullPointerException if {@code comment} is null
   * @throws IllegalArgumentException if {@code comment} contains an unpaired surrogate
   */
  public static byte[] encodeComment(String comment) {
    Objects.requireNonNull(comment, "comment");
    FieldChecks.requireWellFormed("comment", comment);
    byte[] bytes = comment.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[putLines(null, 0, COMMENT, comment, bytes)];
    int pos = putLines(out, 0, COMMENT, comment, bytes);
    assert pos == out.length : "sized " + out.length + " bytes, wrote " + pos;
    return out;
  }

  /**
   * Returns the bytes of a lone {@code retry:} field followed by a blank line; it sets the client's
   * reconnection time without dispatching an event.
   *
   * @throws NullPointerException if {@code retry} is null
   * @throws IllegalArgumentException if {@code retry} is negative or more than {@link
   *     Long#MAX_VALUE} milliseconds
   */
  public static byte[] encodeRetry(Duration retry) {
    Objects.requireNonNull(retry, "retry");
    FieldChecks.requireRetry("retry", retry);
    return ("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8OrNull(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the comments and the id, event and retry fields that are present; returns the end. */
  private static int putHead(
      byte[] out,
      List<String> comments,
      byte[][] commentBytes,
      byte[] id,
      byte[] type,
      byte[] retry) {
    int pos = 0;
    if (commentBytes != null) {
      for (int i = 0; i < commentBytes.length; i++) {
        pos = putLines(out, pos, COMMENT, comments.get(i), commentBytes[i]);
      }
    }
    if (id != null) {
      pos = putField(out, pos, ID, id, 0, id.length);
    }
    if (type != null) {
      pos = putField(out, pos, EVENT, type, 0, type.length);
    }
    if (retry != null) {
      pos = putField(out, pos, RETRY, retry, 0, retry.length);
    }
    return pos;
  }

  /** Returns the size of {@code name: value\n}, or of {@code name:\n} when the value is empty. */
  private static int fieldSize(byte[] name, int valueLength) {
    return valueLength == 0 ? name.length + 1 : name.length + valueLength + 2;
  }

  /**
   * Writes one field line at {@code pos}, the value being {@code value[from, to)}; returns the end.
   */
  private static int putField(byte[] out, int pos, byte[] name, byte[] value, int from, int to) {
    System.arraycopy(name, 0, out, pos, name.length);
    pos += name.length;
    int length = to - from;
    if (length > 0) {
      out[pos++] = ' ';
      System.arraycopy(value, from, out, pos, length);
      pos += length;
    }
    out[pos++] = '\n';
    return pos;
  }

  /**
   * Writes one field line at {@code pos} per line of {@code text}, CRLF, CR and LF all ending a
   * line, and returns the end. With a null {@code out} it writes nothing and returns where the
   * lines would end.
   *
   * @param utf8 {@code text} encoded as UTF-8
   */
  private static int putLines(byte[] out, int pos, byte[] name, String text, byte[] utf8) {
    // The lines are split in the bytes, which is the same as splitting the text: in UTF-8 the bytes
    // 0x0D
    // and 0x0A only ever encode CR and LF. The UTF-8 is as long as the text only if the text is
    // ASCII;
    // then char and byte indexes agree and the vectorized String.indexOf finds the line ends. Other
    // text is searched byte by byte.
    String ascii = utf8.length == text.length() ? text : null;
    int n = utf8.length;
    int lf = indexOf(ascii, utf8, '\n', 0);
    int cr = indexOf(ascii, utf8, '\r', 0);
    int start = 0;
    while (true) {
      int end = Math.min(lf, cr);
      pos =
          out == null
              ? pos + fieldSize(name, end - start)
              : putField(out, pos, name, utf8, start, end);
      if (end == n) {
        return pos;
      }
      start = end + 1;
      if (end == lf) {
        lf = indexOf(ascii, utf8, '\n', start);
      } else {
        if (lf == start && start < n) { // CRLF ends one line; lf == n means there is no LF
          start++;
          lf = indexOf(ascii, utf8, '\n', start);
        }
        cr = indexOf(ascii, utf8, '\r', start);
      }
    }
  }

  /**
   * Returns the index of the first {@code c} in {@code utf8} at or after {@code from}, or its
   * length if there is none; {@code ascii}, when not null, is the same text as a string.
   */
  private static int indexOf(String ascii, byte[] utf8, char c, int from) {
    if (ascii != null) {
      int i = ascii.indexOf(c, from);
      return i < 0 ? utf8.length : i;
    }
    for (int i = from; i < utf8.length; i++) {
      if (utf8[i] == c) {
        return i;
      }
    }
    return utf8.length;
  }
}
