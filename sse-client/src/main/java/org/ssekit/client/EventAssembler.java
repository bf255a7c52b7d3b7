package org.ssekit.client;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Interprets the complete lines of one event stream for {@link EventStreamParser}, as the WHATWG
 * standard's "Interpreting an event stream" says: fields build an event, which a blank line
 * dispatches to the {@link EventStreamParser.Handler}; comments and retries are reported at once.
 *
 * <p><b>Thread safety:</b> not thread-safe; confined to its parser's thread.
 */
final class EventAssembler {
  private static final String DEFAULT_EVENT_TYPE = "message";
  private static final byte LF = '\n';
  private static final byte COLON = ':';
  private static final byte SPACE = ' ';
  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
  private static final byte[] ID = {'i', 'd'};
  private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y'};
  private static final int INITIAL_BUFFER_BYTES = 256;

  private final EventStreamParser.Handler handler;
  private final Utf8Text text;
  private final int maxLineChars;
  private final long maxBufferedBytes;

  /** The data buffer as UTF-8: each data value followed by LF. */
  private byte[] data = new byte[INITIAL_BUFFER_BYTES];

  private int dataLength;

  /** The event type buffer; empty when none was set. */
  private String eventType = "";

  /** The last event ID buffer, set by id fields. */
  private String lastEventIdBuffer = "";

  /** The last event ID string, set from the buffer at each blank line. */
  private String lastEventId = "";

  /**
   * The bytes of the last decoded event type, to reuse its string when the next one is the same.
   */
  private byte[] cachedEventTypeBytes = new byte[0];

  private String cachedEventType = "";

  /**
   * Creates the interpreter of one stream; the data of an event may have {@code maxLineChars}
   * chars, or {@code maxBufferedBytes} bytes before it is decoded.
   */
  EventAssembler(
      EventStreamParser.Handler handler,
      Utf8Text text,
      int maxLineChars,
      long maxBufferedBytes,
      String lastEventId) {
    this.handler = handler;
    this.text = text;
    this.maxLineChars = maxLineChars;
    this.maxBufferedBytes = maxBufferedBytes;
    this.lastEventIdBuffer = lastEventId;
    this.lastEventId = lastEventId;
  }

  /**
   * Checks that {@code lastEventId} could have been set by an {@code id} field: no CR or LF (which
   * end a line) and no NUL (which makes the field ignored). The one home of this rule for the
   * parser and the {@link EventSource} builder.
   *
   * @throws NullPointerException if {@code lastEventId} is null
   * @throws IllegalArgumentException naming the char and its index
   */
  static String requireLastEventId(String lastEventId) {
    Objects.requireNonNull(lastEventId, "lastEventId");
    for (int i = 0; i < lastEventId.length(); i++) {
      char c = lastEventId.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "unexpected char 0x%02x at %d in lastEventId", (int) c, i));
      }
    }
    return lastEventId;
  }

  /** Returns the last event id (see {@link EventStreamParser#lastEventId()}). */
  String lastEventId() {
    return lastEventId;
  }

  /** Discards the event that is not yet complete. */
  void discardEvent() {
    dataLength = 0;
    eventType = "";
  }

  /** Discards the data of the event that is not yet complete. */
  void discardData() {
    dataLength = 0;
  }

  /** Processes the line in bytes[from, to), which has no line end. */
  void processLine(byte[] bytes, int from, int to) {
    if (from == to) {
      dispatch();
      return;
    }
    // The field name is what precedes the first colon. The four known names contain no colon, so a
    // line is one of them if it starts with the name followed by a colon or the line end; matching
    // on the first byte and then the name costs a few compares per line, where a scan for the colon
    // and an array comparison per candidate name was a measurable part of parsing a short event.
    int valueStart;
    switch (bytes[from]) {
      case COLON:
        valueStart = valueStart(bytes, from + 1, to);
        handler.onComment(text.toString(bytes, valueStart, to - valueStart));
        break;
      case 'd':
        valueStart = fieldValueStart(bytes, from, to, DATA);
        if (valueStart >= 0) {
          appendData(bytes, valueStart, to - valueStart);
        }
        break;
      case 'i':
        valueStart = fieldValueStart(bytes, from, to, ID);
        if (valueStart >= 0) {
          setLastEventIdBuffer(bytes, valueStart, to);
        }
        break;
      case 'e':
        valueStart = fieldValueStart(bytes, from, to, EVENT);
        if (valueStart >= 0) {
          setEventType(bytes, valueStart, to);
        }
        break;
      case 'r':
        valueStart = fieldValueStart(bytes, from, to, RETRY);
        if (valueStart >= 0) {
          retry(bytes, valueStart, to);
        }
        break;
      default:
        // Any other field is ignored.
    }
  }

  /**
   * Returns where the value starts if the line bytes[from, to) is the field {@code name} (the name,
   * then a colon or the end of the line), or -1 if it is another field.
   */
  private static int fieldValueStart(byte[] bytes, int from, int to, byte[] name) {
    int nameEnd = from + name.length;
    if (nameEnd > to) {
      return -1;
    }
    for (int k = 1; k < name.length; k++) { // the first byte was matched by the caller
      if (bytes[from + k] != name[k]) {
        return -1;
      }
    }
    if (nameEnd == to) {
      return to; // a field without colon: its value is empty
    }
    return bytes[nameEnd] == COLON ? valueStart(bytes, nameEnd + 1, to) : -1;
  }

  /** Returns i, or i + 1 if bytes[i] is the one space that may follow a colon. */
  private static int valueStart(byte[] bytes, int i, int to) {
    return i < to && bytes[i] == SPACE ? i + 1 : i;
  }

  private void appendData(byte[] bytes, int offset, int length) {
    long needed = (long) dataLength + length + 1;
    if (needed - 1 > maxBufferedBytes) {
      throw dataTooLong();
    }
    if (needed > data.length) {
      data = Arrays.copyOf(data, Utf8Text.grownCapacity(data.length, needed));
    }
    System.arraycopy(bytes, offset, data, dataLength, length);
    data[dataLength + length] = LF;
    dataLength = (int) needed;
  }

  private IllegalStateException dataTooLong() {
    return new IllegalStateException("event data length > maxLineChars: " + maxLineChars);
  }

  private void setLastEventIdBuffer(byte[] bytes, int from, int to) {
    // NUL is the byte 0x00 in UTF-8 and no other sequence contains that byte.
    for (int i = from; i < to; i++) {
      if (bytes[i] == 0) {
        return;
      }
    }
    lastEventIdBuffer = text.toString(bytes, from, to - from);
  }

  private void setEventType(byte[] bytes, int from, int to) {
    if (!sameBytes(bytes, from, to, cachedEventTypeBytes)) {
      cachedEventTypeBytes = Arrays.copyOfRange(bytes, from, to);
      cachedEventType = text.toString(bytes, from, to - from);
    }
    eventType = cachedEventType;
  }

  /**
   * Returns true if bytes[from, to) equals {@code other}. A plain loop: event types are a few
   * bytes, for which {@link Arrays#equals(byte[], int, int, byte[], int, int)} costs more in its
   * checks and call than in comparing.
   */
  private static boolean sameBytes(byte[] bytes, int from, int to, byte[] other) {
    if (to - from != other.length) {
      return false;
    }
    for (int k = 0; k < other.length; k++) {
      if (bytes[from + k] != other[k]) {
        return false;
      }
    }
    return true;
  }

  private void retry(byte[] bytes, int from, int to) {
    if (from == to) {
      return; // an empty value is not a number
    }
    long retryMillis = 0;
    for (int i = from; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return;
      }
      if (retryMillis > (Long.MAX_VALUE - digit) / 10) {
        return; // too large for a long
      }
      retryMillis = retryMillis * 10 + digit;
    }
    handler.onRetry(retryMillis);
  }

  private void dispatch() {
    lastEventId = lastEventIdBuffer;
    if (dataLength == 0) {
      eventType = "";
      return;
    }
    String type = eventType.isEmpty() ? DEFAULT_EVENT_TYPE : eventType;
    int length = dataLength - 1; // without the last LF
    dataLength = 0;
    eventType = "";
    String value = text.toString(data, 0, length);
    if (value.length() > maxLineChars) {
      throw dataTooLong();
    }
    handler.onEvent(new ReceivedEvent(type, value, lastEventId));
  }
}
