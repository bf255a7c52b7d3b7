package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ssekit.auth.jwt.JwtServer.WAIT;
import static org.ssekit.auth.jwt.JwtServer.headers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.CloseReason;
import org.ssekit.auth.jwt.JwtServer.Way;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;

/**
 * The lifetime of JWT streams on both adapters, on Jetty 12.1 ee11 and Tomcat 11: a stream ends at
 * its token's {@code exp} with a {@code retry:}, the same token is refused on the reconnect and a
 * fresh one resumes it from {@code Last-Event-ID}; {@code SseHub.closeStreamsOf(sub)} ends one
 * subject's streams only.
 */
class JwtExpiryTest {
  private JwtServer server;

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return JwtServer.containers();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** The token by cookie on the servlet way, by header on the JAX-RS way: both sources expire. */
  private static Map<String, String> carrying(Way way, String token, String lastEventId) {
    Map<String, String> headers =
        way == Way.SERVLET
            ? headers("Cookie", JwtAuthorizer.DEFAULT_COOKIE_NAME + "=" + token)
            : headers("Authorization", "Bearer " + token);
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    return headers;
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aStreamEndsAtItsTokensExpiryTheSameTokenIsRefusedAndAFreshOneResumesMissingNothing(
      Supplier<TestContainer> factory) throws Exception {
    server = JwtServer.start(factory, LiveTokens.authorizer());
    Instant exp = LiveTokens.wholeSecondsAhead(1);
    String shortLived = LiveTokens.until(exp, "alice", "users/alice/**");
    List<RawSseClient> streams = new ArrayList<>();
    for (Way way : Way.values()) {
      RawSseClient stream =
          server.get(way.target("", "users/alice/inbox"), carrying(way, shortLived, null));
      assertThat(stream.status()).as("%s", way).isEqualTo(200);
      streams.add(stream);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 2);
    String before = server.publish("users/alice/inbox", "before");
    for (RawSseClient stream : streams) {
      assertThat(stream.poll(WAIT).data()).isEqualTo("before");
    }

    for (RawSseClient stream : streams) {
      assertThat(stream.pollRetry(WAIT)).isBetween(1000L, 2000L);
      assertThat(stream.awaitEnd(WAIT)).isTrue();
      // Not before the token's exp; 500 ms of slack for a busy machine and the socket.
      assertThat(Instant.now()).isAfterOrEqualTo(exp).isBefore(exp.plusMillis(500));
      assertThat(stream.poll(Duration.ZERO)).isNull();
    }
    await().atMost(WAIT).until(() -> server.hub.stats().streamsClosed(CloseReason.EXPIRED) == 2);
    String gap1 = server.publish("users/alice/inbox", "while away 1");
    String gap2 = server.publish("users/alice/inbox", "while away 2");

    String fresh = LiveTokens.valid("alice", "users/alice/**");
    for (Way way : Way.values()) {
      RawSseClient refused =
          server.get(way.target("", "users/alice/inbox"), carrying(way, shortLived, before));
      assertThat(refused.awaitEnd(WAIT)).isTrue();
      assertThat(refused.status()).as("%s", way).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate"))
          .isEqualTo("Bearer realm=\"ssekit\", error=\"invalid_token\"");
      assertThat(refused.body()).isEqualTo("token expired\n");

      RawSseClient resumed =
          server.get(way.target("", "users/alice/inbox"), carrying(way, fresh, before));
      assertThat(resumed.status()).as("%s", way).isEqualTo(200);
      ReceivedEvent first = resumed.poll(WAIT);
      ReceivedEvent second = resumed.poll(WAIT);
      assertThat(first.lastEventId()).isEqualTo(gap1);
      assertThat(first.data()).isEqualTo("while away 1");
      assertThat(second.lastEventId()).isEqualTo(gap2);
      assertThat(resumed.poll(Duration.ofMillis(100))).isNull();
      streams.add(resumed);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 2);
    String after = server.publish("users/alice/inbox", "after");
    for (RawSseClient resumed : streams.subList(2, 4)) {
      assertThat(resumed.poll(WAIT).lastEventId()).isEqualTo(after);
      assertThat(resumed.poll(Duration.ofMillis(100))).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closeStreamsOfTheSubjectEndsItsStreamsOnBothWaysAndNoOneElses(
      Supplier<TestContainer> factory) throws Exception {
    server = JwtServer.start(factory, LiveTokens.authorizer());
    String alice = LiveTokens.valid("alice", "users/alice/**", "rooms/*");
    String bob = LiveTokens.valid("bob", "users/bob/**", "rooms/*");
    List<RawSseClient> alices = new ArrayList<>();
    List<RawSseClient> bobs = new ArrayList<>();
    for (Way way : Way.values()) {
      alices.add(
          server.get(
              way.target("", "users/alice/inbox", "rooms/lobby"), carrying(way, alice, null)));
      bobs.add(
          server.get(way.target("", "users/bob/inbox", "rooms/lobby"), carrying(way, bob, null)));
    }
    for (RawSseClient client : alices) {
      assertThat(client.status()).isEqualTo(200);
    }
    for (RawSseClient client : bobs) {
      assertThat(client.status()).isEqualTo(200);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 4);

    assertThat(server.hub.closeStreamsOf("alice")).isEqualTo(2);

    for (RawSseClient client : alices) {
      assertThat(client.pollRetry(WAIT)).isBetween(1000L, 2000L);
      assertThat(client.awaitEnd(WAIT)).isTrue();
    }
    await().atMost(WAIT).until(() -> server.hub.stats().streamsClosed(CloseReason.REVOKED) == 2);
    String id = server.publish("rooms/lobby", "still here");
    for (RawSseClient client : bobs) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event.lastEventId()).isEqualTo(id);
      assertThat(client.awaitEnd(Duration.ZERO)).isFalse();
    }
    assertThat(server.hub.stats().subscribers()).isEqualTo(2);
    assertThat(server.hub.closeStreamsOf("alice")).isZero();
    // The token itself stays valid: revoking it for good is the application's (its authorizer's).
    RawSseClient again =
        server.get(Way.JAXRS.target("", "rooms/lobby"), carrying(Way.JAXRS, alice, id));
    assertThat(again.status()).isEqualTo(200);
  }
}
