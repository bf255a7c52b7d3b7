package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ssekit.internal.CorsHeaders;

/** The CORS rules; the adapters' tests check them on the wire. */
class CorsTest {
  private static Map<String, String> headers(Cors cors, String origin) {
    Map<String, String> headers = new LinkedHashMap<>();
    CorsHeaders.forEachResponseHeader(cors, origin, headers::put);
    return headers;
  }

  @Test
  void withCredentialsTheExactOriginIsEchoed() {
    Cors cors = Cors.builder().allowOrigin("https://app.example").build();
    assertThat(headers(cors, "https://app.example"))
        .containsExactly(
            Map.entry("Access-Control-Allow-Origin", "https://app.example"),
            Map.entry("Access-Control-Allow-Credentials", "true"),
            Map.entry("Vary", "Origin"));
    assertThat(headers(cors, "https://evil.example")).isEmpty();
    assertThat(headers(cors, null)).isEmpty();
  }

  @Test
  void anyOriginWithoutCredentialsAnswersStar() {
    Cors cors = Cors.builder().allowOrigin("*").allowCredentials(false).build();
    assertThat(headers(cors, "https://x.example"))
        .containsExactly(Map.entry("Access-Control-Allow-Origin", "*"));
  }

  @Test
  void misconfigurationsAreRefused() {
    assertThatThrownBy(() -> Cors.builder().allowOrigin("*").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowedOrigins * with allowCredentials");
    assertThatThrownBy(() -> Cors.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedOrigins is empty: call allowOrigin");
    assertThatThrownBy(() -> Cors.builder().allowOrigin("https://app.example/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "origin must be * or scheme://host[:port] without a path: https://app.example/");
    assertThatThrownBy(() -> Cors.builder().allowHeaders("X-Ok", "bad header"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header 1 is not an HTTP token: bad header");
  }

  @Test
  void originsWithControlCharsAreRefusedAndTheMessageEscapesThem() {
    // Found by the reliability suite's hostile input: \s let NUL, DEL and most control chars in.
    for (char c = 0; c < 0x20; c++) {
      String origin = "https://a" + c + "b";
      assertThatThrownBy(() -> Cors.builder().allowOrigin(origin))
          .as("origin with 0x%02x", (int) c)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("origin must be")
          .hasMessageNotContaining(String.valueOf(c));
    }
    assertThatThrownBy(() -> Cors.builder().allowOrigin("https://a\u0000b"))
        .hasMessage("origin must be * or scheme://host[:port] without a path: https://a0x00b");
    assertThatThrownBy(() -> Cors.builder().allowOrigin("https://a\u007fb"))
        .hasMessage("origin must be * or scheme://host[:port] without a path: https://a0x7fb");
    assertThatThrownBy(() -> Cors.builder().allowHeaders("X-A\r\nSet-Cookie: x"))
        .hasMessage("header 0 is not an HTTP token: X-A0x0d0x0aSet-Cookie: x");
  }

  @Test
  void aPreflightIsAnsweredOnlyForAnAllowedOrigin() {
    Cors cors = Cors.builder().allowOrigin("http://127.0.0.1:8080").build();
    assertThat(CorsHeaders.isAnsweredPreflight(cors, "OPTIONS", "http://127.0.0.1:8080", "GET"))
        .isTrue();
    assertThat(CorsHeaders.isAnsweredPreflight(cors, "OPTIONS", "http://other", "GET")).isFalse();
    assertThat(CorsHeaders.isAnsweredPreflight(cors, "OPTIONS", "http://127.0.0.1:8080", null))
        .isFalse();
    assertThat(CorsHeaders.isAnsweredPreflight(null, "OPTIONS", "http://127.0.0.1:8080", "GET"))
        .isFalse();
  }
}
