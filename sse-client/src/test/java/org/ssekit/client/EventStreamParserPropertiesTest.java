package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Arbitrary streams, including malformed ones, parsed in every way they can arrive, against {@link
 * ReferenceStreamInterpreter}, the standard's steps on the whole stream at once.
 *
 * <p>The parser has two ways to take a line: lines that lie whole in one chunk are interpreted in
 * place (the fast path every short event takes), lines that began in an earlier chunk are gathered
 * in a buffer first. Fed in one chunk, a stream takes the fast path for every line; byte by byte,
 * the buffered path for every line; split in two at every offset, the two paths meet at every place
 * in a line, including between CR and LF, inside a UTF-8 sequence, inside a field name and inside a
 * BOM. All must give the reference's calls. On failure jqwik prints the seed, and reruns it first
 * next time.
 */
class EventStreamParserPropertiesTest {
  private static final int TRIES = 1000;

  /**
   * Pieces streams are made of: line ends, field names and near misses, colons and spaces, control
   * bytes that the line-end scan must step over, UTF-8 and malformed bytes, a BOM and parts of one.
   */
  private static final List<byte[]> PIECES =
      List.of(
          bytes("\n"),
          bytes("\r"),
          bytes("\r\n"),
          bytes("\n\n"),
          bytes("data"),
          bytes("data:"),
          bytes("data: "),
          bytes("dat"),
          bytes("datas:"),
          bytes("Data:"),
          bytes("id"),
          bytes("id: "),
          bytes("i:"),
          bytes("ids:"),
          bytes("event"),
          bytes("event: "),
          bytes("even:"),
          bytes("events:"),
          bytes("retry"),
          bytes("retry: "),
          bytes("retr:"),
          bytes(":"),
          bytes(": "),
          bytes(" "),
          bytes("  "),
          bytes("12345"),
          bytes("99999999999999999999"),
          bytes("hello, world"),
          bytes("{\"a\":[1,2]}"),
          bytes("x"),
          new byte[] {0},
          new byte[] {'\t'},
          new byte[] {0x0b, 0x0c, 0x0e, 0x01},
          bytes("é€"),
          bytes("\uD83D\uDE00"), // one code point in 4 bytes, 2 chars
          new byte[] {(byte) 0x80},
          new byte[] {(byte) 0xff},
          new byte[] {(byte) 0xc3},
          new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          new byte[] {(byte) 0xf0, (byte) 0x9f},
          new byte[] {(byte) 0x8a, (byte) 0x8d},
          new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
          new byte[] {(byte) 0xef, (byte) 0xbb},
          "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));

  /** How lines start: blank, each field with and without colon and space, near misses, comments. */
  private static final List<byte[]> NAMES =
      List.of(
          bytes(""),
          bytes(""),
          bytes("data: "),
          bytes("data: "),
          bytes("data:"),
          bytes("data"),
          bytes("id: "),
          bytes("id:"),
          bytes("id"),
          bytes("event: "),
          bytes("event:"),
          bytes("retry: "),
          bytes("retry:"),
          bytes(": "),
          bytes(":"),
          bytes("dat: "),
          bytes("datas: "),
          bytes("ids:"),
          bytes("Event: "),
          bytes("retr: "),
          bytes("x"));

  private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
  private static final byte[] HALF_BOM = {(byte) 0xef, (byte) 0xbb};

  @Property(tries = TRIES)
  void everyFeedingGivesTheReferenceCalls(@ForAll("streams") byte[] stream) {
    List<String> expected = ReferenceStreamInterpreter.interpret(stream, "");
    // The streams must exercise the rules, not only be ignored: most dispatch events, many set ids.
    Statistics.label("dispatches an event")
        .collect(expected.stream().anyMatch(call -> call.startsWith("event ")));
    Statistics.label("sets a last event id").collect(!expected.contains("lastEventId "));
    Statistics.label("reports a comment or retry")
        .collect(expected.stream().anyMatch(call -> call.matches("(?s)(comment|retry) .*")));

    assertThat(parse(stream, EventStreamParser.DEFAULT_MAX_LINE_CHARS, stream.length))
        .as("in one chunk")
        .isEqualTo(expected);
    assertThat(parse(stream, EventStreamParser.DEFAULT_MAX_LINE_CHARS, 1))
        .as("byte by byte")
        .isEqualTo(expected);
    for (int split = 0; split <= stream.length; split++) {
      assertThat(parseSplit(stream, EventStreamParser.DEFAULT_MAX_LINE_CHARS, split))
          .as("split at %d", split)
          .isEqualTo(expected);
    }
    Statistics.label("dispatches an event")
        .coverage(check -> check.check(true).percentage(p -> p >= 30));
    Statistics.label("sets a last event id")
        .coverage(check -> check.check(true).percentage(p -> p >= 10));
    Statistics.label("reports a comment or retry")
        .coverage(check -> check.check(true).percentage(p -> p >= 30));
  }

  @Property(tries = TRIES)
  void chunkSizesNeverChangeTheCalls(
      @ForAll("streams") byte[] stream, @ForAll @IntRange(min = 1, max = 17) int chunkBytes) {
    assertThat(parse(stream, EventStreamParser.DEFAULT_MAX_LINE_CHARS, chunkBytes))
        .isEqualTo(ReferenceStreamInterpreter.interpret(stream, ""));
  }

  /**
   * With a small limit, a stream fails at the same place with the same error however it is split,
   * and a stream that passes gives the reference's calls.
   */
  @Property(tries = TRIES)
  void limitsFailTheSameWayHoweverTheStreamIsSplit(
      @ForAll("streams") byte[] stream, @ForAll @IntRange(min = 1, max = 24) int maxLineChars) {
    List<String> whole = parse(stream, maxLineChars, stream.length);
    if (!whole.get(whole.size() - 1).startsWith("failed")) {
      assertThat(whole).isEqualTo(ReferenceStreamInterpreter.interpret(stream, ""));
    }
    assertThat(parse(stream, maxLineChars, 1)).as("byte by byte").isEqualTo(whole);
    for (int split = 0; split <= stream.length; split++) {
      assertThat(parseSplit(stream, maxLineChars, split)).as("split at %d", split).isEqualTo(whole);
    }
  }

  @Provide
  Arbitrary<byte[]> streams() {
    // Mostly line by line (a field or near miss, a value of pieces, a line end), so that events are
    // dispatched; sometimes pieces in any order, so that nothing is assumed about the shape.
    Arbitrary<byte[]> line =
        Combinators.combine(
                Arbitraries.of(NAMES), Arbitraries.of(PIECES).list().ofMaxSize(4), lineEnds())
            .as(EventStreamParserPropertiesTest::concat);
    Arbitrary<byte[]> raw = Arbitraries.of(PIECES);
    Arbitrary<byte[]> start = Arbitraries.of(new byte[0], new byte[0], new byte[0], BOM, HALF_BOM);
    return Combinators.combine(
            start,
            Arbitraries.frequencyOf(Tuple.of(4, line), Tuple.of(1, raw)).list().ofMaxSize(24))
        .as(
            (first, rest) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.writeBytes(first);
              rest.forEach(out::writeBytes);
              return out.toByteArray();
            });
  }

  private static Arbitrary<byte[]> lineEnds() {
    return Arbitraries.of(bytes("\n"), bytes("\n"), bytes("\r"), bytes("\r\n"), bytes("\n\n"));
  }

  private static byte[] concat(byte[] name, List<byte[]> value, byte[] lineEnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(name);
    value.forEach(out::writeBytes);
    out.writeBytes(lineEnd);
    return out.toByteArray();
  }

  private static List<String> parse(byte[] stream, int maxLineChars, int chunkBytes) {
    return record(
        maxLineChars,
        parser -> {
          for (int offset = 0; offset < stream.length; offset += chunkBytes) {
            parser.feed(stream, offset, Math.min(chunkBytes, stream.length - offset));
          }
        });
  }

  private static List<String> parseSplit(byte[] stream, int maxLineChars, int split) {
    return record(
        maxLineChars,
        parser -> {
          // The second part sits at another offset in a larger array, as a network buffer's would.
          byte[] second = new byte[stream.length - split + 11];
          System.arraycopy(stream, split, second, 5, stream.length - split);
          parser.feed(stream, 0, split);
          parser.feed(second, 5, stream.length - split);
        });
  }

  /** Feeds a new parser, closes it, and returns its calls, then its failure or last event id. */
  private static List<String> record(int maxLineChars, Consumer<EventStreamParser> feeding) {
    Calls calls = new Calls();
    EventStreamParser parser = new EventStreamParser(calls, maxLineChars);
    try {
      feeding.accept(parser);
      parser.close();
    } catch (IllegalStateException e) {
      calls.list.add("failed " + e.getMessage());
      return calls.list;
    }
    calls.list.add("lastEventId " + parser.lastEventId());
    return calls.list;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Records calls as {@link ReferenceStreamInterpreter} does. */
  private static final class Calls implements EventStreamParser.Handler {
    final List<String> list = new ArrayList<>();

    @Override
    public void onEvent(ReceivedEvent event) {
      list.add("event " + event.type() + "|" + event.lastEventId() + "|" + event.data());
    }

    @Override
    public void onRetry(long retryMillis) {
      list.add("retry " + retryMillis);
    }

    @Override
    public void onComment(String comment) {
      list.add("comment " + comment);
    }
  }
}
