package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.internal.EventStreamEncoder;

class ServerSentEventTest {

  @Test
  void lfInIdIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().id("ab\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0a at 2 in id: CR and LF are not allowed");
  }

  @Test
  void crInIdIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().id("a\rb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0d at 1 in id: CR and LF are not allowed");
  }

  @Test
  void nulInIdIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().id("12\u0000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x00 at 2 in id: NUL is not allowed");
  }

  @Test
  void lfInEventIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().event("\nx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0a at 0 in event: CR and LF are not allowed");
  }

  @Test
  void crlfInEventIsRejectedAtTheCr() {
    assertThatThrownBy(() -> ServerSentEvent.builder().event("abc\r\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0d at 3 in event: CR and LF are not allowed");
  }

  @Test
  void nulInEventAndDataIsAllowed() {
    ServerSentEvent event = ServerSentEvent.builder().event("a\u0000").data("\u0000").build();
    assertThat(event.event()).isEqualTo("a\u0000");
    assertThat(event.data()).isEqualTo("\u0000");
  }

  @Test
  void lineBreaksInDataAndCommentsAreAllowed() {
    ServerSentEvent event = ServerSentEvent.builder().data("a\r\nb\rc\n").comment("x\ny").build();
    assertThat(event.data()).isEqualTo("a\r\nb\rc\n");
    assertThat(event.comments()).containsExactly("x\ny");
  }

  @Test
  void retryWithoutAMillisecondWireFormIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().retry(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry > Long.MAX_VALUE ms: ");
    assertThatThrownBy(
            () -> EventStreamEncoder.encodeRetry(Duration.ofSeconds(Long.MAX_VALUE / 1000 + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retry > Long.MAX_VALUE ms: ");
    assertThat(
            EventStreamEncoder.encode(
                ServerSentEvent.builder().retry(Duration.ofMillis(Long.MAX_VALUE)).build()))
        .asString()
        .contains("retry: " + Long.MAX_VALUE + "\n");
  }

  @Test
  void negativeRetryIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().retry(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retry < 0: PT-0.005S");
  }

  @Test
  void zeroRetryIsAllowed() {
    assertThat(ServerSentEvent.builder().retry(Duration.ZERO).build().retry()).isZero();
  }

  static Stream<Arguments> unpairedSurrogates() {
    return Stream.of(
        Arguments.of("high alone", "a\ud83db", 1, "0xd83d"),
        Arguments.of("low alone", "a\ude00b", 1, "0xde00"),
        Arguments.of("high at the end", "ab\ud83d", 2, "0xd83d"),
        Arguments.of("low at the start", "\ude00", 0, "0xde00"),
        Arguments.of("low before high", "\ude00\ud83d", 0, "0xde00"),
        Arguments.of("two highs", "\ud83d\ud83d\ude00", 0, "0xd83d"),
        Arguments.of("after a valid pair", "\ud83d\ude00\ude00", 2, "0xde00"));
  }

  @ParameterizedTest(name = "{0} in id")
  @MethodSource("unpairedSurrogates")
  void unpairedSurrogateInIdIsRejected(String name, String value, int index, String hex) {
    assertRejected("id", b -> b.id(value), index, hex);
  }

  @ParameterizedTest(name = "{0} in event")
  @MethodSource("unpairedSurrogates")
  void unpairedSurrogateInEventIsRejected(String name, String value, int index, String hex) {
    assertRejected("event", b -> b.event(value), index, hex);
  }

  @ParameterizedTest(name = "{0} in data")
  @MethodSource("unpairedSurrogates")
  void unpairedSurrogateInDataIsRejected(String name, String value, int index, String hex) {
    assertRejected("data", b -> b.data(value), index, hex);
    assertThatThrownBy(() -> ServerSentEvent.of(value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} in comment")
  @MethodSource("unpairedSurrogates")
  void unpairedSurrogateInCommentIsRejected(String name, String value, int index, String hex) {
    assertRejected("comment", b -> b.comment(value), index, hex);
  }

  @Test
  void astralPairsAreAllowedInEveryField() {
    String pairs = "\ud83d\ude00x\udbff\udfff";
    ServerSentEvent event =
        ServerSentEvent.builder().id(pairs).event(pairs).data(pairs).comment(pairs).build();
    assertThat(event.id()).isEqualTo(pairs);
    assertThat(event.event()).isEqualTo(pairs);
    assertThat(event.data()).isEqualTo(pairs);
    assertThat(event.comments()).containsExactly(pairs);
  }

  @Test
  void nullDataIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().data(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data");
  }

  @Test
  void nullCommentIsRejected() {
    assertThatThrownBy(() -> ServerSentEvent.builder().comment(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("comment");
  }

  @Test
  void nullOptionalFieldsRemoveThem() {
    ServerSentEvent event =
        ServerSentEvent.builder()
            .id("1")
            .event("e")
            .retry(Duration.ZERO)
            .id(null)
            .event(null)
            .retry(null)
            .build();
    assertThat(event).isEqualTo(ServerSentEvent.of(""));
  }

  @Test
  void toBuilderCopiesEveryField() {
    ServerSentEvent event =
        ServerSentEvent.builder()
            .id("1")
            .event("e")
            .data("d")
            .retry(Duration.ofSeconds(1))
            .comment("c")
            .build();
    assertThat(event.toBuilder().build()).isEqualTo(event).hasSameHashCodeAs(event);
    assertThat(event.toBuilder().comment("d").build().comments()).containsExactly("c", "d");
    assertThat(event.comments()).containsExactly("c");
  }

  @Test
  void toStringOmitsDataAndComments() {
    ServerSentEvent event =
        ServerSentEvent.builder().id("1").data("secret").comment("hush").build();
    assertThat(event.toString())
        .doesNotContain("secret")
        .doesNotContain("hush")
        .isEqualTo("ServerSentEvent{id=1, event=null, retry=null, dataChars=6, comments=1}");
  }

  private static void assertRejected(
      String field, Consumer<ServerSentEvent.Builder> setter, int index, String hex) {
    assertThatThrownBy(() -> setter.accept(ServerSentEvent.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unpaired surrogate "
                + hex
                + " at "
                + index
                + " in "
                + field
                + ": it cannot be encoded as UTF-8");
  }
}
