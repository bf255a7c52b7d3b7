package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.internal.EventStreamEncoder;

/**
 * Encodes arbitrary valid events, parses the bytes in arbitrary chunks, and checks that the parser
 * sees what a browser would. On failure jqwik prints the seed, and reruns it first next time.
 */
class RoundTripPropertiesTest {
  private static final int TRIES = 5000;

  /** How the bytes reach the parser. */
  enum Feeding {
    ARRAY,
    HEAP_BUFFER,
    DIRECT_BUFFER
  }

  /** The line end the stream uses; the encoder writes LF, the others are rewritten from it. */
  enum LineEnd {
    LF,
    CR,
    CRLF
  }

  @Property(tries = TRIES)
  void encodedEventParsesAsBrowserSeesIt(
      @ForAll("events") ServerSentEvent event,
      @ForAll("chunkSizes") List<Integer> chunkSizes,
      @ForAll Feeding feeding) {
    Recorder recorder = new Recorder();
    EventStreamParser parser = new EventStreamParser(recorder);

    feedInChunks(parser, EventStreamEncoder.encode(event), chunkSizes, feeding);
    parser.close();

    List<Object> expected = new ArrayList<>();
    String lastEventId = expectCalls(expected, event, "");
    assertThat(recorder.calls).isEqualTo(expected);
    assertThat(parser.lastEventId()).isEqualTo(lastEventId);
  }

  @Property(tries = TRIES)
  void encodedStreamParsesAsBrowserSeesIt(
      @ForAll("streams") List<Tuple3<ServerSentEvent, String, Duration>> stream,
      @ForAll boolean withBom,
      @ForAll LineEnd lineEnd,
      @ForAll("chunkSizes") List<Integer> chunkSizes,
      @ForAll Feeding feeding) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (withBom) {
      bytes.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    List<Object> expected = new ArrayList<>();
    String lastEventId = "";
    for (Tuple3<ServerSentEvent, String, Duration> item : stream) {
      bytes.writeBytes(EventStreamEncoder.encode(item.get1()));
      lastEventId = expectCalls(expected, item.get1(), lastEventId);
      if (item.get2() != null) {
        bytes.writeBytes(EventStreamEncoder.encodeComment(item.get2()));
        expectComments(expected, item.get2());
      }
      if (item.get3() != null) {
        bytes.writeBytes(EventStreamEncoder.encodeRetry(item.get3()));
        expected.add(new Retry(item.get3().toMillis()));
      }
    }
    Recorder recorder = new Recorder();
    EventStreamParser parser = new EventStreamParser(recorder);

    feedInChunks(parser, withLineEnds(bytes.toByteArray(), lineEnd), chunkSizes, feeding);
    parser.close();

    assertThat(recorder.calls).isEqualTo(expected);
    assertThat(parser.lastEventId()).isEqualTo(lastEventId);
  }

  /**
   * Adds the calls a browser-exact parser makes for {@code event}; returns the new last event id.
   */
  private static String expectCalls(
      List<Object> expected, ServerSentEvent event, String lastEventId) {
    for (String comment : event.comments()) {
      expectComments(expected, comment);
    }
    if (event.retry() != null) {
      expected.add(new Retry(event.retry().toMillis()));
    }
    String type = event.event() == null || event.event().isEmpty() ? "message" : event.event();
    String data = event.data().replace("\r\n", "\n").replace('\r', '\n');
    String id = event.id() != null ? event.id() : lastEventId;
    expected.add(new Event(type, data, id));
    return id;
  }

  private static void expectComments(List<Object> expected, String comment) {
    for (String line : comment.split("\r\n|\r|\n", -1)) {
      expected.add(new Comment(line));
    }
  }

  /**
   * Rewrites every LF of an encoded stream; values never contain CR or LF bytes (the encoder splits
   * them into lines), so the stream means the same.
   */
  private static byte[] withLineEnds(byte[] stream, LineEnd lineEnd) {
    if (lineEnd == LineEnd.LF) {
      return stream;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length * 2);
    for (byte b : stream) {
      if (b != '\n') {
        out.write(b);
      } else {
        out.write('\r');
        if (lineEnd == LineEnd.CRLF) {
          out.write('\n');
        }
      }
    }
    return out.toByteArray();
  }

  private static void feedInChunks(
      EventStreamParser parser, byte[] bytes, List<Integer> chunkSizes, Feeding feeding) {
    int offset = 0;
    for (int k = 0; offset < bytes.length; k++) {
      int size = Math.min(chunkSizes.get(k % chunkSizes.size()), bytes.length - offset);
      switch (feeding) {
        case ARRAY:
          parser.feed(bytes, offset, size);
          break;
        case HEAP_BUFFER:
          ByteBuffer heap = ByteBuffer.wrap(bytes, offset, size);
          parser.feed(heap);
          assertThat(heap.hasRemaining()).isFalse();
          break;
        default:
          ByteBuffer direct = ByteBuffer.allocateDirect(size).put(bytes, offset, size).flip();
          parser.feed(direct);
          assertThat(direct.hasRemaining()).isFalse();
          break;
      }
      offset += size;
    }
  }

  @Provide
  Arbitrary<List<Integer>> chunkSizes() {
    // Sizes cycle; 0 feeds an empty chunk. One list in ten feeds byte by byte, one in ten at once.
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(List.of(1))),
        Tuple.of(1, Arbitraries.just(List.of(Integer.MAX_VALUE))),
        Tuple.of(
            8,
            Arbitraries.integers()
                .between(0, 24)
                .list()
                .ofMinSize(1)
                .ofMaxSize(12)
                .filter(sizes -> sizes.stream().anyMatch(size -> size > 0))));
  }

  @Provide
  Arbitrary<ServerSentEvent> events() {
    Arbitrary<String> id = text(12).map(s -> s.replaceAll("[\r\n\u0000]", "")).injectNull(0.3);
    Arbitrary<String> type = text(6).map(s -> s.replaceAll("[\r\n]", "")).injectNull(0.4);
    Arbitrary<String> data = text(30);
    Arbitrary<Duration> retry = retries().injectNull(0.7);
    Arbitrary<List<String>> comments = text(8).list().ofMaxSize(2);
    return Combinators.combine(id, type, data, retry, comments)
        .as(
            (i, t, d, r, c) -> {
              ServerSentEvent.Builder builder =
                  ServerSentEvent.builder().id(i).event(t).data(d).retry(r);
              c.forEach(builder::comment);
              return builder.build();
            });
  }

  @Provide
  Arbitrary<List<Tuple3<ServerSentEvent, String, Duration>>> streams() {
    return Combinators.combine(events(), text(8).injectNull(0.8), retries().injectNull(0.9))
        .as(Tuple::of)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  private static Arbitrary<Duration> retries() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofMillis),
        Arbitraries.longs().between(0, 10_000_000_000L).map(Duration::ofNanos));
  }

  /** Text of up to {@code maxPieces} pieces, rich in what is tricky on the wire. */
  private static Arbitrary<String> text(int maxPieces) {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(
                6, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(5)),
            Tuple.of(3, Arbitraries.of(" ", "  ", ":", ": ", " :")),
            Tuple.of(3, Arbitraries.of("\r", "\n", "\r\n", "\n\r", "\r\r", "\n\n")),
            Tuple.of(1, Arbitraries.of("\u0000", "\t", "\u007f")),
            Tuple.of(
                2,
                Arbitraries.of(
                    "\u00e9", "\u0080", "\u07ff", "\u0800", "\u20ac", "\ufeff", "\ufffd",
                    "\uffff")),
            Tuple.of(
                2,
                Arbitraries.integers()
                    .between(0x10000, 0x10FFFF)
                    .map(codePoint -> new String(Character.toChars(codePoint)))),
            Tuple.of(
                2,
                Arbitraries.chars()
                    .range('\u0000', '\ud7ff')
                    .range('\ue000', '\uffff')
                    .map(String::valueOf)),
            Tuple.of(
                1,
                Arbitraries.of("data: x", "id: 1", "event: e", "retry: 5", ":c", "\ndata: x\n\n")),
            Tuple.of(1, Arbitraries.just("y".repeat(300))));
    return piece.list().ofMaxSize(maxPieces).map(pieces -> String.join("", pieces));
  }

  /** A dispatched event, with all of its fields in {@code toString} for readable failures. */
  record Event(String type, String data, String lastEventId) {}

  record Retry(long millis) {}

  record Comment(String text) {}

  /** Records every handler call in order. */
  static final class Recorder implements EventStreamParser.Handler {
    final List<Object> calls = new ArrayList<>();

    @Override
    public void onEvent(ReceivedEvent event) {
      calls.add(new Event(event.type(), event.data(), event.lastEventId()));
    }

    @Override
    public void onRetry(long retryMillis) {
      calls.add(new Retry(retryMillis));
    }

    @Override
    public void onComment(String comment) {
      calls.add(new Comment(comment));
    }
  }
}
