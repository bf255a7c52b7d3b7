package org.ssekit.reliability.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server answered to one raw request: the status ({@code -1} if the connection ended without
 * a status line), the head as text and the body bytes read (chunk framing left in: the checks look
 * for text that no framing splits).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param status the status code, or -1 if none came
 * @param head the status line and headers, ISO-8859-1
 * @param body the body bytes read
 */
record Answer(int status, String head, byte[] body) {
  /**
   * A stack frame ({@code at org.x.Y.z(}) or a qualified exception or error class name ({@code
   * java.lang.IllegalStateException}). Not the bare word "Exception": Tomcat's default error page
   * for the refusals its HTTP parser makes says "Type Exception Report" and carries no trace.
   */
  private static final Pattern STACK_TRACE =
      Pattern.compile(
          "\\bat [a-zA-Z_$][\\w$]*(?:\\.[\\w$<>]+)+\\(|\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b");

  /** Returns true if the answer declares an event stream. */
  boolean isEventStream() {
    return head.toLowerCase(Locale.ROOT).contains("content-type: text/event-stream");
  }

  /**
   * Returns the text around the first sign of a stack trace or an exception's name in the head or
   * body, or null if there is none.
   */
  String stackTrace() {
    String text = head + "\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1);
    Matcher mark = STACK_TRACE.matcher(text);
    if (!mark.find()) {
      return null;
    }
    return text.substring(
        Math.max(0, mark.start() - 200), Math.min(text.length(), mark.end() + 200));
  }

  /** Returns true if the first event of the body is the unknown-id gap notice. */
  boolean firstEventIsGap() {
    String text = bodyText(Integer.MAX_VALUE);
    int end = text.indexOf("\n\n");
    int gap = text.indexOf("event: ssekit-gap\ndata: unknown-last-event-id\n");
    return end >= 0 && gap >= 0 && gap < end;
  }

  /** Returns up to {@code chars} chars of the body as UTF-8 text. */
  String bodyText(int chars) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() <= chars ? text : text.substring(0, chars) + "...";
  }
}
