package org.ssekit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.ssekit.internal.FieldChecks;

/**
 * Encodes events into the {@code text/event-stream} format of the WHATWG HTML standard
 * ("Server-sent events", "Event stream format"): UTF-8, LF line ends, {@code field: value} with one space.
 *
 * <p>Data and comments are split on CRLF, CR and LF, one {@code data:} (or {@code :}) line per piece,
 * keeping empty and trailing pieces, so data {@code "a\n\nb\n"} reaches a browser as exactly that. A
 * field whose value is empty is written as the bare name and colon ({@code data:}). Every event ends in
 * a blank line and always carries at least one {@code data:} line, so even empty data dispatches an event.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class EventStreamEncoder {
  private EventStreamEncoder() {
  }

  /**
   * Returns the UTF-8 bytes of {@code event}, ending in a blank line. The caller owns the array.
   *
   * @throws NullPointerException if {@code event} is null
   */
  public static byte[] encode(ServerSentEvent event) {
    Objects.requireNonNull(event, "event");
    StringBuilder out = new StringBuilder(event.data().length() + 32);
    for (String comment : event.comments()) {
      appendLines(out, "", comment);
    }
    if (event.id() != null) {
      appendField(out, "id", event.id());
    }
    if (event.event() != null) {
      appendField(out, "event", event.event());
    }
    if (event.retry() != null) {
      appendField(out, "retry", Long.toString(event.retry().toMillis()));
    }
    appendLines(out, "data", event.data());
    out.append('\n');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the bytes of a comment (clients ignore it), one {@code :} line per line of {@code comment}.
   * No blank line follows, so a comment never ends or starts an event.
   *
   * @throws NullPointerException if {@code comment} is null
   * @throws IllegalArgumentException if {@code comment} contains an unpaired surrogate
   */
  public static byte[] encodeComment(String comment) {
    Objects.requireNonNull(comment, "comment");
    FieldChecks.requireWellFormed("comment", comment);
    StringBuilder out = new StringBuilder(comment.length() + 4);
    appendLines(out, "", comment);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the bytes of a lone {@code retry:} field followed by a blank line; it sets the client's
   * reconnection time without dispatching an event.
   *
   * @throws NullPointerException if {@code retry} is null
   * @throws IllegalArgumentException if {@code retry} is negative or more than {@link Long#MAX_VALUE}
   *     milliseconds
   */
  public static byte[] encodeRetry(Duration retry) {
    Objects.requireNonNull(retry, "retry");
    ServerSentEvent.Builder.requireRetry("retry", retry);
    return ("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void appendField(StringBuilder out, String name, String value) {
    appendField(out, name, value, 0, value.length());
  }

  private static void appendField(StringBuilder out, String name, String value, int start, int end) {
    out.append(name);
    if (start == end) {
      out.append(":\n");
    } else {
      out.append(": ").append(value, start, end).append('\n');
    }
  }

  /** Appends one {@code name: line} per line of {@code value}; CRLF, CR and LF all end a line. */
  private static void appendLines(StringBuilder out, String name, String value) {
    int start = 0;
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        appendField(out, name, value, start, i);
        if (c == '\r' && i + 1 < n && value.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    appendField(out, name, value, start, n);
  }
}
