package org.ssekit.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The checks the hostile cases rely on find what they look for, and only that. */
class AnswerTest {
  private static Answer answer(int status, String body) {
    return new Answer(
        status,
        "HTTP/1.1 " + status + " X\r\nContent-Type: text/html",
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aStackTraceOrAQualifiedExceptionNameIsFound() {
    assertThat(
            answer(
                    400,
                    "<pre>java.lang.IllegalArgumentException: Request header is too large\n"
                        + "\torg.apache.coyote.http11.Http11InputBuffer.fill(Http11InputBuffer.java:768)")
                .stackTrace())
        .contains("java.lang.IllegalArgumentException");
    assertThat(answer(500, "oops\n\tat org.ssekit.X.y(X.java:1)\n").stackTrace())
        .contains("at org.ssekit.X.y(");
  }

  @Test
  void tomcatsPageTypeAndPlainReasonsAreNotStackTraces() {
    assertThat(answer(400, "<p><b>Type</b> Exception Report</p>").stackTrace()).isNull();
    assertThat(
            answer(401, "token signature invalid: tampered, or signed with another key\n")
                .stackTrace())
        .isNull();
  }

  @Test
  void theGapNoticeMustBeTheFirstEvent() {
    assertThat(
            answer(200, "event: ssekit-gap\ndata: unknown-last-event-id\n\nid: 1\ndata: x\n\n")
                .firstEventIsGap())
        .isTrue();
    assertThat(
            answer(200, "id: 1\ndata: x\n\nevent: ssekit-gap\ndata: unknown-last-event-id\n\n")
                .firstEventIsGap())
        .isFalse();
  }

  @Test
  void aFiveHundredNeverMeetsAnExpectation() {
    assertThat(Expect.containerRefusal().check(answer(500, ""))).isEqualTo("a 500");
    assertThat(Expect.stream().orContainerRefusal().check(answer(503, ""))).isEqualTo("a 503");
    assertThat(
            Expect.refusal(400, "must come last")
                .check(answer(400, "has ** before its last segment at 2: ** must come last\n")))
        .isNull();
    assertThat(Expect.refusal(400, "must come last").check(answer(400, "other\n"))).isNotNull();
  }
}
