package org.ssekit.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a response's status and headers mean for a source. */
class ResponseCheckTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  @Test
  void retryAfterInSecondsIsADelay() {
    assertThat(ResponseCheck.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
    assertThat(ResponseCheck.retryAfter("Tue, 01 Dec 2026 10:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterInThePastMeansNoWait() {
    assertThat(ResponseCheck.retryAfter("Tue, 01 Dec 2026 09:00:00 GMT", NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void retryAfterThatIsNeitherIsIgnored() {
    assertThat(ResponseCheck.retryAfter("soon", NOW)).isEqualTo(Optional.empty());
    assertThat(ResponseCheck.retryAfter("-5", NOW)).isEqualTo(Optional.empty());
    assertThat(ResponseCheck.retryAfter("99999999999999999999999", NOW)).isEmpty();
  }

  @Test
  void status200WithoutContentTypeFails() {
    ResponseCheck check = ResponseCheck.of(200, headers(), NOW);
    assertThat(check.kind()).isEqualTo(ResponseCheck.Kind.FAIL);
    assertThat(check.cause()).hasMessage("content type not text/event-stream: ");
  }

  @Test
  void controlCharactersInAContentTypeAreEscapedInTheMessage() {
    ResponseCheck check = ResponseCheck.of(200, headers("Content-Type", "text/\u0007html"), NOW);
    assertThat(check.cause()).hasMessage("content type not text/event-stream: text/\\x07html");
  }

  @Test
  void status429WithRetryAfterWaits() {
    ResponseCheck check = ResponseCheck.of(429, headers("Retry-After", "2"), NOW);
    assertThat(check.kind()).isEqualTo(ResponseCheck.Kind.RETRY_AFTER);
    assertThat(check.retryAfterMillis()).isEqualTo(2000);
  }

  @Test
  void status204Stops() {
    assertThat(ResponseCheck.of(204, headers(), NOW).kind()).isEqualTo(ResponseCheck.Kind.STOP);
  }
}
