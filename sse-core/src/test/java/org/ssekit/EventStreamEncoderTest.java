package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
  void dataWithNulIsSentAsIs() {
    assertEncodes(ServerSentEvent.of("a\u0000b"), "data: a\u0000b\n\n");
  }

  @Test
  void allFieldsInOrder() {
    ServerSentEvent event = ServerSentEvent.builder()
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
    assertEncodes(ServerSentEvent.builder().id(" 1").event(" e").build(),
        "id:  1\nevent:  e\ndata:\n\n");
  }

  @Test
  void retryIsSentInWholeMilliseconds() {
    assertEncodes(ServerSentEvent.builder().retry(Duration.ofNanos(2_999_999)).build(),
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
    ServerSentEvent event = ServerSentEvent.builder().id("\ud83d\ude00").data("\ud83d\ude00").build();
    assertThat(EventStreamEncoder.encode(event)).containsExactly(
        'i', 'd', ':', ' ', 0xF0, 0x9F, 0x98, 0x80, '\n',
        'd', 'a', 't', 'a', ':', ' ', 0xF0, 0x9F, 0x98, 0x80, '\n', '\n');
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
