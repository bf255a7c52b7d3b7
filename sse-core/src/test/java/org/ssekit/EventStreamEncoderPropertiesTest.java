package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.ssekit.internal.EventStreamEncoder;

/**
 * Compares the encoder byte for byte with a straightforward one written from the format's rules.
 * The round-trip properties cannot see every byte (a parser reads {@code data:} and {@code data: }
 * alike); these can. The text mixes pure ASCII and other text because the encoder finds line ends
 * differently in each.
 */
class EventStreamEncoderPropertiesTest {
  private static final int TRIES = 2000;

  @Property(tries = TRIES)
  void encodeWritesTheSameBytesAsAStraightforwardEncoder(@ForAll("events") ServerSentEvent event) {
    assertThat(EventStreamEncoder.encode(event)).isEqualTo(reference(event));
  }

  @Property(tries = TRIES)
  void encodeCommentWritesTheSameBytesAsAStraightforwardEncoder(@ForAll("texts") String comment) {
    StringBuilder expected = new StringBuilder();
    appendLines(expected, "", comment);
    assertThat(EventStreamEncoder.encodeComment(comment))
        .isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The straightforward encoder: whole strings, split with a regular expression, then UTF-8. */
  private static byte[] reference(ServerSentEvent event) {
    StringBuilder out = new StringBuilder();
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
    return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendLines(StringBuilder out, String name, String value) {
    for (String line : value.split("\r\n|\r|\n", -1)) {
      appendField(out, name, line);
    }
  }

  private static void appendField(StringBuilder out, String name, String value) {
    out.append(name).append(value.isEmpty() ? ":" : ": " + value).append('\n');
  }

  @Provide
  Arbitrary<ServerSentEvent> events() {
    Arbitrary<String> line = texts().map(s -> s.replaceAll("[\r\n]", ""));
    Arbitrary<String> id = line.map(s -> s.replace("\u0000", "")).injectNull(0.3);
    Arbitrary<Duration> retry =
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofMillis).injectNull(0.7);
    Arbitrary<List<String>> comments = texts().list().ofMaxSize(2);
    return Combinators.combine(id, line.injectNull(0.4), texts(), retry, comments)
        .as(
            (i, t, d, r, c) -> {
              ServerSentEvent.Builder builder =
                  ServerSentEvent.builder().id(i).event(t).data(d).retry(r);
              c.forEach(builder::comment);
              return builder.build();
            });
  }

  /** Text that is pure ASCII half of the time, rich in line ends, sometimes long. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> lineEnd = Arbitraries.of("\r", "\n", "\r\n");
    Arbitrary<String> ascii =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.strings().ascii().ofMaxLength(12)),
            Tuple.of(3, lineEnd),
            Tuple.of(1, Arbitraries.integers().between(100, 5000).map("z"::repeat)));
    Arbitrary<String> other =
        Arbitraries.frequencyOf(
            Tuple.of(4, ascii),
            Tuple.of(
                2,
                Arbitraries.of(
                    "\u00e9", "\u07ff", "\u0800", "\u010a", "\u0d0a", "\ufeff", "\uffff")),
            Tuple.of(
                1,
                Arbitraries.chars()
                    .range('\u0080', '\ud7ff')
                    .range('\ue000', '\uffff')
                    .map(String::valueOf)),
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0x10000, 0x10FFFF)
                    .map(codePoint -> new String(Character.toChars(codePoint)))));
    return Arbitraries.oneOf(
        ascii.list().ofMaxSize(12).map(pieces -> String.join("", pieces)),
        other.list().ofMaxSize(12).map(pieces -> String.join("", pieces)));
  }
}
