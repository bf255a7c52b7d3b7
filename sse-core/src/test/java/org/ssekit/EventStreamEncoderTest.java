package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ssekit.internal.EventStreamEncoder;

/** Golden tests: each event must encode to exactly these bytes. */
class EventStreamEncoderTest {

  @Test
  void singleLineData() {
    assertEncodes(ServerSentEvent.of("hello"), "data: hello\n\n");
  }

  @Test
  void emptyData() {
    assertEncodes(ServerSentEvent.of(""), "data:\n\n");
  }

  @Test
  void emptyAndTrailingLinesAreKept() {
    assertEncodes(ServerSentEvent.of("a\n\nb\n"), "data: a\ndata:\ndata: b\ndata:\n\n");
  }

  @Test
  void lfOnlyData() {
    assertEncodes(ServerSentEvent.of("\n"), "data:\ndata:\n\n");
  }

  @Test
  void crEndsDataLines() {
    assertEncodes(ServerSentEvent.of("a\rb\r"), "data: a\ndata: b\ndata:\n\n");
  }

  @Test
  void crlfEndsDataLinesOnce() {
    assertEncodes(ServerSentEvent.of("a\r\nb\r\n"), "data: a\ndata: b\ndata:\n\n");
  }

  @Test
  void crThenCrlfIsTwoLineEnds() {
    assertEncodes(ServerSentEvent.of("\r\r\n"), "data:\ndata:\ndata:\n\n");
  }

  @Test
  void lfThenCrIsTwoLineEnds() {
    assertEncodes(ServerSentEvent.of("a\n\rb"), "data: a\ndata:\ndata: b\n\n");
  }

  @Test
  void dataStartingWithSpaceKeepsIt() {
    assertEncodes(ServerSentEvent.of(" a\n  b"), "data:  a\ndata:   b\n\n");
  }

  @Test
  void dataStartingWithColonIsNotAComment() {
    assertEncodes(ServerSentEvent.of(":a\n:"), "data: :a\ndata: :\n\n");
  }

  @Test
  void singleLineDataWithLatin1CharsIsUtf8NotLatin1() {
    // Java keeps such a string one byte per char; only ASCII may be copied from it byte for byte.
    assertEncodes(ServerSentEvent.of("caf\u00e9 \u00ff\u0080"), "data: caf\u00e9 \u00ff\u0080\n\n");
    assertThat(EventStreamEncoder.encode(ServerSentEvent.of("\u00e9")))
        .containsExactly('d', 'a', 't', 'a', ':', ' ', 0xc3, 0xa9, '\n', '\n');
  }

  @Test
  void dataKeepsItsEncodingThroughToBuilder() {
    ServerSentEvent ascii = ServerSentEvent.builder().id("1").data("plain").build();
    assertEncodes(ascii.toBuilder().event("e").build(), "id: 1\nevent: e\ndata: plain\n\n");
    assertEncodes(
        ascii.toBuilder().data("\u00e9t\u00e9").build(), "id: 1\ndata: \u00e9t\u00e9\n\n");
    ServerSentEvent latin1 = ServerSentEvent.of("\u00e9");
    assertEncodes(latin1.toBuilder().comment("c").build(), ": c\ndata: \u00e9\n\n");
    assertEncodes(latin1.toBuilder().data("x").build(), "data: x\n\n");
  }

  @Test
  void dataWithNulIsSentAsIs() {
    assertEncodes(ServerSentEvent.of("a\u0000b"), "data: a\u0000b\n\n");
  }

  @Test
  void allFieldsInOrder() {
    ServerSentEvent event =
        ServerSentEvent.builder()
            .data("d")
            .retry(Duration.ofMillis(1500))
            .event("update")
            .id("42")
            .comment("c")
            .build();
    assertEncodes(event, ": c\nid: 42\nevent: update\nretry: 1500\ndata: d\n\n");
  }

  @Test
  void emptyIdIsBareName() {
    assertEncodes(ServerSentEvent.builder().id("").data("x").build(), "id:\ndata: x\n\n");
  }

  @Test
  void emptyEventIsBareName() {
    assertEncodes(ServerSentEvent.builder().event("").data("x").build(), "event:\ndata: x\n\n");
  }

  @Test
  void idAndEventStartingWithSpaceKeepIt() {
    assertEncodes(
        ServerSentEvent.builder().id(" 1").event(" e").build(), "id:  1\nevent:  e\ndata:\n\n");
  }

  @Test
  void retryIsSentInWholeMilliseconds() {
    assertEncodes(
        ServerSentEvent.builder().retry(Duration.ofNanos(2_999_999)).build(),
        "retry: 2\ndata:\n\n");
  }

  @Test
  void zeroRetry() {
    assertEncodes(ServerSentEvent.builder().retry(Duration.ZERO).build(), "retry: 0\ndata:\n\n");
  }

  @Test
  void multiLineCommentInEvent() {
    ServerSentEvent event = ServerSentEvent.builder().comment("a\nb\r\nc\r").comment("").build();
    assertEncodes(event, ": a\n: b\n: c\n:\n:\ndata:\n\n");
  }

  @Test
  void nonAsciiBmpCharactersAreUtf8() {
    assertThat(EventStreamEncoder.encode(ServerSentEvent.of("\u00e9\u20ac")))
        .containsExactly('d', 'a', 't', 'a', ':', ' ', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, '\n', '\n');
  }

  @Test
  void astralCharactersAreFourByteUtf8() {
    ServerSentEvent event =
        ServerSentEvent.builder().id("\ud83d\ude00").data("\ud83d\ude00").build();
    assertThat(EventStreamEncoder.encode(event))
        .containsExactly(
            'i', 'd', ':', ' ', 0xF0, 0x9F, 0x98, 0x80, '\n', 'd', 'a', 't', 'a', ':', ' ', 0xF0,
            0x9F, 0x98, 0x80, '\n', '\n');
  }

  @Test
  void crlfOnlyData() {
    assertEncodes(ServerSentEvent.of("\r\n"), "data:\ndata:\n\n");
  }

  @Test
  void loneCrAtEndOfData() {
    assertEncodes(ServerSentEvent.of("a\r"), "data: a\ndata:\n\n");
  }

  @Test
  void nonAsciiDataWithMixedLineEnds() {
    assertEncodes(
        ServerSentEvent.of("\u00e9\r\n\u20ac\r\ud83d\ude00\nz\n\r"),
        "data: \u00e9\ndata: \u20ac\ndata: \ud83d\ude00\ndata: z\ndata:\ndata:\n\n");
  }

  @Test
  void crlfAtEndOfNonAsciiData() {
    assertEncodes(ServerSentEvent.of("\u00e9\r\n"), "data: \u00e9\ndata:\n\n");
  }

  @Test
  void loneCrAtEndOfNonAsciiData() {
    assertEncodes(ServerSentEvent.of("\u00e9\r"), "data: \u00e9\ndata:\n\n");
  }

  @Test
  void crThenCrlfInNonAsciiData() {
    assertEncodes(ServerSentEvent.of("\u00e9\r\r\n"), "data: \u00e9\ndata:\ndata:\n\n");
  }

  @Test
  void charsWithCrOrLfInTheirUtf16UnitsAreNotLineEnds() {
    // U+010A, U+010D, U+0A0D and U+0D0A hold 0x0a or 0x0d bytes in UTF-16, never in UTF-8.
    assertEncodes(
        ServerSentEvent.of("\u010a\u010d\u0a0d\u0d0a\nx"),
        "data: \u010a\u010d\u0a0d\u0d0a\ndata: x\n\n");
  }

  @Test
  void astralCharactersAroundLineEnds() {
    ServerSentEvent event = ServerSentEvent.of("\ud83d\ude00\r\n\ud83d\ude00");
    assertThat(EventStreamEncoder.encode(event))
        .containsExactly(
            'd', 'a', 't', 'a', ':', ' ', 0xF0, 0x9F, 0x98, 0x80, '\n', 'd', 'a', 't', 'a', ':',
            ' ', 0xF0, 0x9F, 0x98, 0x80, '\n', '\n');
  }

  @Test
  void multiLineDataAfterAllOtherFields() {
    ServerSentEvent event =
        ServerSentEvent.builder()
            .comment("\u00e9\r\n")
            .id("7")
            .event("e")
            .retry(Duration.ofMillis(10))
            .data("a\r\n\u00fc")
            .build();
    assertEncodes(event, ": \u00e9\n:\nid: 7\nevent: e\nretry: 10\ndata: a\ndata: \u00fc\n\n");
  }

  @Test
  void veryLongSingleLineData() {
    String data = "x".repeat(1 << 20);
    assertEncodes(
        ServerSentEvent.builder().id("1").data(data).build(), "id: 1\ndata: " + data + "\n\n");
  }

  @Test
  void veryLongMultiLineData() {
    String line = "y".repeat(1000);
    assertEncodes(
        ServerSentEvent.of((line + "\r\n").repeat(1000) + "\u00e9"),
        ("data: " + line + "\n").repeat(1000) + "data: \u00e9\n\n");
  }

  @Test
  void encodeReturnsNewArrayEachTime() {
    ServerSentEvent event = ServerSentEvent.of("a");
    assertThat(EventStreamEncoder.encode(event)).isNotSameAs(EventStreamEncoder.encode(event));
  }

  @Test
  void encodeRejectsNull() {
    assertThatThrownBy(() -> EventStreamEncoder.encode(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("event");
  }

  @Test
  void commentAloneHasNoBlankLine() {
    assertBytes(EventStreamEncoder.encodeComment("keep-alive"), ": keep-alive\n");
  }

  @Test
  void multiLineCommentAlone() {
    assertBytes(EventStreamEncoder.encodeComment("a\r\n\rb\n"), ": a\n:\n: b\n:\n");
  }

  @Test
  void nonAsciiCommentAlone() {
    assertBytes(
        EventStreamEncoder.encodeComment("\u00e9\r\n\ud83d\ude00\r"),
        ": \u00e9\n: \ud83d\ude00\n:\n");
  }

  @Test
  void emptyCommentAlone() {
    assertBytes(EventStreamEncoder.encodeComment(""), ":\n");
  }

  @Test
  void commentWithUnpairedSurrogateIsRejected() {
    assertThatThrownBy(() -> EventStreamEncoder.encodeComment("a\ud83d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unpaired surrogate 0xd83d at 1 in comment: it cannot be encoded as UTF-8");
  }

  @Test
  void retryAloneEndsInBlankLine() {
    assertBytes(EventStreamEncoder.encodeRetry(Duration.ofSeconds(3)), "retry: 3000\n\n");
  }

  @Test
  void negativeRetryAloneIsRejected() {
    assertThatThrownBy(() -> EventStreamEncoder.encodeRetry(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry < 0: PT-0.005S");
  }

  private static void assertEncodes(ServerSentEvent event, String expected) {
    assertBytes(EventStreamEncoder.encode(event), expected);
  }

  private static void assertBytes(byte[] actual, String expected) {
    // Compared as text first for a readable diff, then byte for byte.
    assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(actual).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }
}
