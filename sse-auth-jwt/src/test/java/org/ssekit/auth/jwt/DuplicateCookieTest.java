package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.auth.jwt.JwtServer.WAIT;
import static org.ssekit.auth.jwt.JwtServer.headers;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.auth.jwt.JwtServer.Way;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;

/**
 * Regression: with two cookies of the token's name, both adapters give the authorizer the first
 * (the JAX-RS adapter used to take Jersey's getCookies(), which keeps the last), so one request got
 * 401 on one path and 200 on the other.
 */
class DuplicateCookieTest {
  static Stream<Named<Supplier<TestContainer>>> containers() {
    return JwtServer.containers();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void twoCookiesOfTheTokensNameGetTheSameAnswerOnBothAdapters(Supplier<TestContainer> factory)
      throws Exception {
    try (JwtServer server = JwtServer.start(factory, LiveTokens.authorizer())) {
      String valid = LiveTokens.valid("alice", "rooms/*");
      for (String cookies :
          new String[] {
            "ssekit_token=garbage; ssekit_token=" + valid,
            "ssekit_token=" + valid + "; ssekit_token=garbage"
          }) {
        RawSseClient servlet =
            server.get(Way.SERVLET.target("", "rooms/lobby"), headers("Cookie", cookies));
        RawSseClient jaxrs =
            server.get(Way.JAXRS.target("", "rooms/lobby"), headers("Cookie", cookies));
        assertThat(jaxrs.status()).as(cookies).isEqualTo(servlet.status());
        if (servlet.status() != 200) {
          assertThat(servlet.awaitEnd(WAIT)).isTrue();
          assertThat(jaxrs.awaitEnd(WAIT)).isTrue();
          assertThat(jaxrs.bodyBytes()).isEqualTo(servlet.bodyBytes());
        }
      }
    }
  }
}
