package org.ssekit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ssekit.internal.StreamHttp;

/** The HTTP rules both adapters share (sse-core's {@code StreamHttp}), as the adapters use them. */
class StreamHttpTest {
  @Test
  void theStreamHeadersFollowTheContentTypeInOrder() {
    Map<String, String> headers = new LinkedHashMap<>();
    StreamHttp.forEachStreamHeader(headers::put);
    assertThat(StreamHttp.CONTENT_TYPE).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(headers)
        .containsExactly(
            Map.entry("Cache-Control", "no-cache"), Map.entry("X-Accel-Buffering", "no"));
  }

  @Test
  void theLastEventIdHeaderWinsAndTheQueryIsThenNotLookedAt() {
    List<String> lookups = new ArrayList<>();
    assertThat(StreamHttp.lastEventId("7", () -> recordLookup(lookups))).isEqualTo("7");
    assertThat(lookups).isEmpty();
    assertThat(StreamHttp.lastEventId("", () -> "9")).isEqualTo("");
    assertThat(StreamHttp.lastEventId(null, () -> "9")).isEqualTo("9");
    assertThat(StreamHttp.lastEventId(null, () -> null)).isNull();
  }

  @Test
  void retryAfterIsWholeSecondsAndAtLeastOne() {
    assertThat(StreamHttp.retryAfterSeconds(Duration.ofSeconds(7))).isEqualTo("7");
    assertThat(StreamHttp.retryAfterSeconds(Duration.ofMillis(7_900))).isEqualTo("7");
    assertThat(StreamHttp.retryAfterSeconds(Duration.ofMillis(300))).isEqualTo("1");
    assertThat(StreamHttp.retryAfterSeconds(Duration.ZERO)).isEqualTo("1");
  }

  @Test
  void oneChunkIsPassedOnItselfAndSeveralAreJoinedInOrder() {
    byte[] only = bytes("data: a\n\n");
    assertThat(StreamHttp.concat(List.of(only))).isSameAs(only);
    List<byte[]> chunks = List.of(bytes("data: a\n\n"), bytes(""), bytes(": c\n\n"));
    assertThat(StreamHttp.length(chunks)).isEqualTo(14);
    assertThat(StreamHttp.concat(chunks)).isEqualTo(bytes("data: a\n\n: c\n\n"));
    assertThat(StreamHttp.concat(chunks, 14)).isEqualTo(bytes("data: a\n\n: c\n\n"));
    assertThat(StreamHttp.concat(List.of())).isEmpty();
  }

  private static String recordLookup(List<String> lookups) {
    lookups.add("query looked up");
    return "query";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anUnservedSelectionIsExplainedWithoutNamingTheLog() {
    assertThat(
            StreamHttp.unservedSelectionReason(
                new IllegalArgumentException(
                    "selection has more entries than maxSelectionSize=64: 65")))
        .isEqualTo("selection has more entries than maxSelectionSize=64: 65");
    assertThat(
            StreamHttp.unservedSelectionReason(
                new UnsupportedOperationException(
                    "RedisEventLog@x[OPEN, redis=10.0.0.7:6379] ...")))
        .isEqualTo(
            "this server streams one topic per request: a selection of several is not served")
        .doesNotContain("redis");
  }
}
