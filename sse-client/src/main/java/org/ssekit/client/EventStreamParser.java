package org.ssekit.client;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Parses a {@code text/event-stream} incrementally, exactly as the WHATWG HTML standard's
 * "Server-sent events" section ("Interpreting an event stream") tells a browser to.
 *
 * <p>Feed the bytes of one stream in chunks of any size with {@link #feed(byte[], int, int)} or
 * {@link #feed(ByteBuffer)}, and call {@link #close()} at its end. A chunk may end anywhere: inside
 * a multi-byte UTF-8 sequence, between the CR and LF of a line end, or inside a field name. The
 * {@link Handler} hears, in stream order:
 *
 * <ul>
 *   <li>{@link Handler#onEvent} for each event a browser would dispatch. As in the standard, a
 *       blank line dispatches the event built from the lines before it; nothing is dispatched when
 *       the event has no {@code data} line; one trailing LF is removed from the data; the type is
 *       {@code message} unless an {@code event} field set a non-empty one; the data and type are
 *       then reset, while the last event id persists until the next {@code id} field;
 *   <li>{@link Handler#onRetry} as soon as a {@code retry} field whose value is only ASCII digits
 *       ends. Other values, an empty value, and numbers too large for a {@code long} are ignored;
 *   <li>{@link Handler#onComment} for each line that starts with a colon.
 * </ul>
 *
 * The rest follows the standard too: a UTF-8 byte order mark is skipped at the very start of the
 * stream only; lines end in CRLF, a lone CR or a lone LF; a line without a colon is a field name
 * with an empty value; one space after the colon is removed; field names are case-sensitive and
 * unknown fields are ignored; an {@code id} whose value contains NUL is ignored, and an empty one
 * resets the last event id.
 *
 * <p>Bytes are decoded as UTF-8, and malformed input becomes U+FFFD exactly as the WHATWG "UTF-8
 * decode" that browsers use replaces it (one U+FFFD per maximal subpart). CR and LF bytes never
 * occur inside a multi-byte UTF-8 sequence, so the parser finds line ends in the bytes and decodes
 * only field values: with the JDK's UTF-8 decoder, and with the exact WHATWG replacement only when
 * that one met malformed input (it replaces differently). This gives the same text as decoding the
 * whole stream first; the bytes of a line that is not yet complete are kept until its end, so
 * sequences split across chunks decode correctly.
 *
 * <p><b>Limits:</b> a stream from an untrusted server could otherwise make the parser buffer
 * without bound. {@code maxLineChars} (by default {@value #DEFAULT_MAX_LINE_CHARS}, 16 Mi) limits
 * the length of one line, and also of the data of one event (its data lines joined with LF), in
 * chars of the decoded text, not counting the line end. A line or data that is longer makes {@code
 * feed} throw {@link IllegalStateException}, at the latest when the line ends, and before the
 * parser buffers more than three bytes per allowed char (no UTF-8 form of more than that many bytes
 * decodes to fewer chars). The parser's buffers keep the size of the longest line and event seen.
 *
 * <p><b>Lifecycle:</b> a parser is open when created. {@link #close()} ends the stream: the line
 * and event that are not yet complete are discarded, as the standard requires, and later calls to
 * {@code feed} throw. A parser whose handler threw, or whose limit was exceeded, has failed and
 * refuses further input too. Use a new parser for each stream; {@link #lastEventId()} stays
 * readable after the end, for the {@code Last-Event-ID} of a reconnection.
 *
 * <p><b>Thread safety:</b> not thread-safe. Confine a parser to one thread, or hand it between
 * threads only with a happens-before edge (such as a lock or a queue). The handler is called on the
 * thread that calls {@code feed}.
 */
public final class EventStreamParser {
  /** The default of {@code maxLineChars}: 16 Mi chars ({@code 16 * 1024 * 1024}). */
  public static final int DEFAULT_MAX_LINE_CHARS = 16 * 1024 * 1024;

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** A value of {@link #bomBytesMatched} meaning the start of the stream is behind us. */
  private static final int BOM_DONE = -1;

  private static final int TRANSFER_BUFFER_BYTES = 8192;

  /** The states of a parser. */
  private enum State {
    /** Accepts input. */
    OPEN,
    /** {@link #close()} was called; refuses input. */
    CLOSED,
    /** A handler threw or a limit was exceeded; refuses input. */
    FAILED
  }

  private final EventAssembler events;

  /** The line that began in an earlier chunk and has not ended yet, and the limits of a line. */
  private final PartialLine line;

  // Every mutable field below is confined to the thread that calls feed and close.
  private State state = State.OPEN;

  /** True while feed runs, to refuse calls to feed from a handler. */
  private boolean feeding;

  /** How many bytes of the BOM the stream started with so far, or BOM_DONE. */
  private int bomBytesMatched;

  /** True when the last byte fed was a CR, so that an LF starting the next chunk ends no line. */
  private boolean skipLeadingLf;

  private byte[] transfer;

  /**
   * Creates a parser that reports to {@code handler}, with lines and event data limited to {@value
   * #DEFAULT_MAX_LINE_CHARS} chars.
   *
   * @param handler receives events, retries and comments
   * @throws NullPointerException if {@code handler} is null
   */
  public EventStreamParser(Handler handler) {
    this(handler, DEFAULT_MAX_LINE_CHARS);
  }

  /**
   * Creates a parser that reports to {@code handler}, with lines and event data limited to {@code
   * maxLineChars} chars each (see the class documentation).
   *
   * @param handler receives events, retries and comments
   * @param maxLineChars the most chars a line, without its line end, and the data of one event may
   *     have; {@link Integer#MAX_VALUE} for as many as fit in memory
   * @throws NullPointerException if {@code handler} is null
   * @throws IllegalArgumentException if {@code maxLineChars} is not positive
   */
  public EventStreamParser(Handler handler, int maxLineChars) {
    this(handler, maxLineChars, "");
  }

  /**
   * Creates a parser for a stream that continues an earlier one: the last event id starts as {@code
   * lastEventId} instead of empty, as a browser keeps it across connections, so events without an
   * {@code id} field carry it until the stream sets another. Otherwise as {@link
   * #EventStreamParser(Handler, int)}.
   *
   * @param handler receives events, retries and comments
   * @param maxLineChars the most chars a line, without its line end, and the data of one event may
   *     have
   * @param lastEventId the last event id of the earlier stream, such as its parser's {@link
   *     #lastEventId()}; {@code ""} for none
   * @throws NullPointerException if {@code handler} or {@code lastEventId} is null
   * @throws IllegalArgumentException if {@code maxLineChars} is not positive, or if {@code
   *     lastEventId} contains CR, LF or NUL (no {@code id} field can set such an id)
   */
  public EventStreamParser(Handler handler, int maxLineChars, String lastEventId) {
    Objects.requireNonNull(handler, "handler");
    EventAssembler.requireLastEventId(lastEventId);
    if (maxLineChars <= 0) {
      throw new IllegalArgumentException("maxLineChars <= 0: " + maxLineChars);
    }
    // More bytes certainly decode to more than maxLineChars chars: no UTF-8 sequence or malformed
    // part of over 3 bytes decodes to 1 char.
    long maxBufferedBytes = Math.min(3L * maxLineChars, Utf8Text.MAX_ARRAY_LENGTH - 1);
    Utf8Text text = new Utf8Text();
    this.line = new PartialLine(text, maxLineChars, maxBufferedBytes);
    this.events = new EventAssembler(handler, text, maxLineChars, maxBufferedBytes, lastEventId);
  }

  /**
   * Parses {@code length} bytes of {@code bytes} from {@code offset}, the next part of the stream,
   * and reports what they complete to the handler before returning. The parser keeps no reference
   * to {@code bytes}.
   *
   * @param bytes holds the next part of the stream
   * @param offset the index of its first byte in {@code bytes}
   * @param length its number of bytes; may be 0
   * @throws NullPointerException if {@code bytes} is null
   * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
   * @throws IllegalStateException if the parser is closed or failed, if called from a handler, or
   *     if a line or the data of an event is longer than {@code maxLineChars} (the parser then
   *     fails)
   * @throws RuntimeException whatever the handler throws (the parser then fails)
   */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (feeding) {
      throw new IllegalStateException(this + ": feed called from a handler");
    }
    requireOpen();
    feeding = true;
    try {
      parse(bytes, offset, offset + length);
    } catch (RuntimeException | Error e) {
      fail();
      throw e;
    } finally {
      feeding = false;
    }
  }

  /**
   * Parses the remaining bytes of {@code buffer}, the next part of the stream, like {@link
   * #feed(byte[], int, int)}, and moves its position to its limit. The parser keeps no reference to
   * {@code buffer}.
   *
   * @param buffer holds the next part of the stream between its position and limit
   * @throws NullPointerException if {@code buffer} is null
   * @throws IllegalStateException as {@link #feed(byte[], int, int)} does
   * @throws RuntimeException whatever the handler throws (the parser then fails)
   */
  public void feed(ByteBuffer buffer) {
    Objects.requireNonNull(buffer, "buffer");
    if (buffer.hasArray()) {
      int position = buffer.position();
      int remaining = buffer.remaining();
      feed(buffer.array(), buffer.arrayOffset() + position, remaining);
      buffer.position(position + remaining);
      return;
    }
    if (!buffer.hasRemaining()) {
      requireOpen();
      return;
    }
    if (transfer == null) {
      transfer = new byte[TRANSFER_BUFFER_BYTES];
    }
    while (buffer.hasRemaining() && state == State.OPEN) {
      int n = Math.min(buffer.remaining(), transfer.length);
      buffer.get(transfer, 0, n);
      feed(transfer, 0, n);
    }
    buffer.position(buffer.limit()); // the rest, if a handler closed the parser, is ignored
  }

  /**
   * Ends the stream. The line and the event that are not complete yet are discarded, as the
   * standard requires: a stream that does not end in a blank line loses its last event. May be
   * called from a handler, which stops parsing after the current line. Closing again has no effect.
   */
  public void close() {
    if (state == State.OPEN) {
      state = State.CLOSED;
    }
    line.clear();
    events.discardEvent();
    skipLeadingLf = false;
  }

  /**
   * Returns the last event id as a browser keeps it: the value of the last {@code id} field before
   * the most recent blank line, or {@code ""} if there was none or it was empty. An {@code id}
   * field takes effect at the blank line that follows it, even if no event is dispatched there.
   * This is what a client sends as {@code Last-Event-ID} when it reconnects.
   *
   * @return the last event id, never null
   */
  public String lastEventId() {
    return events.lastEventId();
  }

  /** Describes the parser and its state, such as {@code EventStreamParser@1f[OPEN]}. */
  @Override
  public String toString() {
    return "EventStreamParser@" + Integer.toHexString(hashCode()) + "[" + state + "]";
  }

  private void requireOpen() {
    if (state == State.CLOSED) {
      throw new IllegalStateException(
          this + ": feed after close; use a new parser for a new stream");
    }
    if (state == State.FAILED) {
      throw new IllegalStateException(
          this + ": an earlier feed failed; use a new parser for a new stream");
    }
  }

  private void fail() {
    state = State.FAILED;
    line.clear();
    events.discardData();
  }

  private void parse(byte[] bytes, int from, int to) {
    int i = from;
    if (bomBytesMatched != BOM_DONE) {
      i = skipBom(bytes, i, to);
    }
    if (skipLeadingLf && i < to) {
      skipLeadingLf = false;
      if (bytes[i] == LF) {
        i++;
      }
    }
    while (i < to) {
      int end = LineEnds.find(bytes, i, to);
      if (end == to) {
        line.append(bytes, i, to - i);
        return;
      }
      boolean cr = bytes[end] == CR;
      if (line.isEmpty()) {
        line.check(bytes, i, end - i);
        events.processLine(bytes, i, end);
      } else {
        line.append(bytes, i, end - i);
        int length = line.length();
        line.clear();
        line.check(line.bytes(), 0, length);
        events.processLine(line.bytes(), 0, length);
      }
      i = end + 1;
      if (cr) {
        if (i < to) {
          if (bytes[i] == LF) {
            i++;
          }
        } else {
          skipLeadingLf = true;
        }
      }
      if (state != State.OPEN) {
        return; // a handler closed the parser
      }
    }
  }

  /**
   * Skips the part of a BOM at the start of the stream in bytes[i, to) and returns the next index.
   */
  private int skipBom(byte[] bytes, int i, int to) {
    while (i < to) {
      if (bytes[i] != BOM[bomBytesMatched]) {
        int matched = bomBytesMatched;
        bomBytesMatched = BOM_DONE;
        // Not a BOM after all: the bytes held back are ordinary input (and contain no line end).
        line.append(BOM, 0, matched);
        return i;
      }
      i++;
      bomBytesMatched++;
      if (bomBytesMatched == BOM.length) {
        bomBytesMatched = BOM_DONE;
        return i;
      }
    }
    return i;
  }

  /**
   * Receives what an {@link EventStreamParser} reads from a stream.
   *
   * <p>Methods are called on the thread that calls {@code feed}, one at a time, in stream order,
   * before {@code feed} returns. They must not call {@code feed} (it throws), but may call {@link
   * EventStreamParser#close()} to stop parsing. If a method throws, {@code feed} throws the same
   * exception and the parser fails.
   *
   * <p><b>Thread safety:</b> called on one thread at a time; an implementation needs no
   * synchronization for a single parser.
   */
  public interface Handler {
    /**
     * Called for each event a browser would dispatch.
     *
     * @param event the event, never null
     */
    void onEvent(ReceivedEvent event);

    /**
     * Called when a {@code retry} field sets the reconnection time. Does nothing by default.
     *
     * @param retryMillis the reconnection time in milliseconds, never negative
     */
    default void onRetry(long retryMillis) {}

    /**
     * Called for each comment line with the text after its colon, one leading space removed
     * (clients ignore comments; servers often send them to keep a connection alive). Does nothing
     * by default.
     *
     * @param comment the comment, never null; may be empty
     */
    default void onComment(String comment) {}
  }
}
