package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ssekit.auth.jwt.JwtServer.WAIT;
import static org.ssekit.auth.jwt.JwtServer.headers;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.auth.jwt.JwtServer.Way;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;

/**
 * {@link JwtAuthorizer} behind both adapters on Jetty 12.1 ee11 and Tomcat 11, over real HTTP: a
 * valid token by header, cookie and (only when enabled) query parameter opens a stream of the
 * topics it allows; every kind of bad token is refused before any byte of the stream, with the
 * status, challenge and plain-text reason the README's table promises, byte for byte the same on
 * the servlet and the JAX-RS way.
 */
class JwtEndToEndTest {
  private static final String CHALLENGE = "Bearer realm=\"ssekit\"";
  private static final String INVALID = CHALLENGE + ", error=\"invalid_token\"";
  private static final String[] ALICE_TOPICS = {"users/alice/**", "rooms/*"};

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

  /** A request's token and where it goes. */
  private record Sent(String description, Map<String, String> headers, String query) {
    static Sent bearer(String description, String token) {
      return new Sent(description, JwtServer.headers("Authorization", "Bearer " + token), "");
    }

    static Sent cookie(String description, String token) {
      return new Sent(
          description,
          JwtServer.headers("Cookie", JwtAuthorizer.DEFAULT_COOKIE_NAME + "=" + token),
          "");
    }

    static Sent query(String description, String token) {
      return new Sent(description, Map.of(), "access_token=" + token);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** A refusal the README's table promises. */
  private record Refusal(Sent sent, String[] entries, int status, String challenge, String reason) {
    @Override
    public String toString() {
      return sent + " -> " + status;
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aValidTokenByHeaderOrCookieOpensAStreamOfTheAllowedTopicsOnlyOnBothWays(
      Supplier<TestContainer> factory) throws Exception {
    server = JwtServer.start(factory, LiveTokens.authorizer());
    String token = LiveTokens.valid("alice", ALICE_TOPICS);
    List<RawSseClient> streams = new ArrayList<>();
    // A quoted cookie value (RFC 6265): Tomcat's servlet cookies keep the quotes, Jersey drops
    // them.
    List<Sent> sources =
        List.of(
            Sent.bearer("header", token),
            Sent.cookie("cookie", token),
            Sent.cookie("quoted cookie", '"' + token + '"'));
    for (Sent sent : sources) {
      for (Way way : Way.values()) {
        RawSseClient client =
            server.get(way.target(sent.query(), "users/alice/**", "rooms/lobby"), sent.headers());
        assertThat(client.status()).as("%s by %s", way, sent).isEqualTo(200);
        assertThat(client.header("Content-Type")).startsWith("text/event-stream");
        streams.add(client);
      }
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == streams.size());

    server.publish("users/bob/inbox", "bob's");
    server.publish("users/alice/inbox", "alice's");
    server.publish("rooms/other", "another room");
    server.publish("rooms/lobby", "lobby");
    server.publish("news/today", "news");
    for (RawSseClient client : streams) {
      List<String> data = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ReceivedEvent event = client.poll(WAIT);
        assertThat(event).isNotNull();
        data.add(event.data());
      }
      assertThat(data).containsExactly("alice's", "lobby");
      assertThat(client.poll(Duration.ofMillis(100))).isNull();
      assertThat(client.body()).doesNotContain("bob's").doesNotContain("another room");
    }
    // One encoding of the events on both ways, whatever carried the token (no keep-alive comes
    // within the test's seconds).
    for (RawSseClient client : streams) {
      assertThat(client.bodyBytes()).isEqualTo(streams.get(0).bodyBytes());
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void everyBadTokenIsRefusedWithItsStatusAndReasonByteForByteOnBothWaysNeverAStream(
      Supplier<TestContainer> factory) throws Exception {
    server = JwtServer.start(factory, LiveTokens.authorizer());
    List<Refusal> refusals = new ArrayList<>();
    String[] entries = {"users/alice/inbox", "rooms/lobby"};
    refusals.add(
        new Refusal(
            new Sent("no token", Map.of(), ""),
            entries,
            401,
            CHALLENGE,
            "no token: send it in an Authorization: Bearer header or the cookie ssekit_token"));
    String queryRefused =
        "a token in the query string is refused: send it in an Authorization: Bearer header or"
            + " the cookie ssekit_token";
    String valid = LiveTokens.valid("alice", ALICE_TOPICS);
    refusals.add(
        new Refusal(
            Sent.query("valid token in the query", valid), entries, 401, INVALID, queryRefused));
    // Beside a valid header: the token in the URL has leaked all the same.
    refusals.add(
        new Refusal(
            new Sent(
                "query token beside a valid header",
                headers("Authorization", "Bearer " + valid),
                "access_token=" + valid),
            entries,
            401,
            INVALID,
            queryRefused));
    for (BadToken bad : badTokens()) {
      refusals.add(
          new Refusal(
              Sent.bearer(bad.what + " by header", bad.token), entries, 401, INVALID, bad.reason));
      refusals.add(
          new Refusal(
              Sent.cookie(bad.what + " by cookie", bad.token), entries, 401, INVALID, bad.reason));
    }
    for (String notAllowed : List.of("users/bob/inbox", "users/*/inbox", "news/today")) {
      for (Sent sent : List.of(Sent.bearer("header", valid), Sent.cookie("cookie", valid))) {
        refusals.add(
            new Refusal(
                new Sent(notAllowed + " by " + sent, sent.headers(), ""),
                new String[] {"users/alice/inbox", notAllowed},
                403,
                null,
                "the token does not allow reading " + notAllowed));
      }
    }

    for (Refusal refusal : refusals) {
      RawSseClient servlet =
          server.get(
              Way.SERVLET.target(refusal.sent().query(), refusal.entries()),
              refusal.sent().headers());
      RawSseClient jaxrs =
          server.get(
              Way.JAXRS.target(refusal.sent().query(), refusal.entries()),
              refusal.sent().headers());
      for (RawSseClient client : List.of(servlet, jaxrs)) {
        assertThat(client.awaitEnd(WAIT)).as("%s", refusal).isTrue();
        assertThat(client.status()).as("%s", refusal).isEqualTo(refusal.status());
        assertThat(client.header("WWW-Authenticate"))
            .as("%s", refusal)
            .isEqualTo(refusal.challenge());
        assertThat(client.header("Content-Type").replace(" ", "").toLowerCase(Locale.ROOT))
            .as("%s", refusal)
            .isEqualTo("text/plain;charset=utf-8");
        assertThat(client.body()).as("%s", refusal).isEqualTo(refusal.reason() + "\n");
      }
      assertThat(jaxrs.bodyBytes()).as("%s", refusal).isEqualTo(servlet.bodyBytes());
    }
    assertThat(server.hub.stats().streamsOpened()).isZero();
    assertThat(server.hub.stats().subscribers()).isZero();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aTokenInTheQueryStringIsReadOnlyWhenEnabled(Supplier<TestContainer> factory)
      throws Exception {
    server =
        JwtServer.start(factory, LiveTokens.authorizer().toBuilder().allowQueryToken(true).build());
    String valid = LiveTokens.valid("alice", ALICE_TOPICS);
    String expired = LiveTokens.until(Instant.now().minusSeconds(10), "alice", ALICE_TOPICS);
    List<RawSseClient> streams = new ArrayList<>();
    for (Way way : Way.values()) {
      RawSseClient stream =
          server.get(way.target("access_token=" + valid, "rooms/lobby"), Map.of());
      assertThat(stream.status()).as("%s", way).isEqualTo(200);
      streams.add(stream);

      RawSseClient refused =
          server.get(way.target("access_token=" + expired, "rooms/lobby"), Map.of());
      assertThat(refused.awaitEnd(WAIT)).isTrue();
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo(INVALID);
      assertThat(refused.body()).isEqualTo("token expired\n");

      RawSseClient none = server.get(way.target("", "rooms/lobby"), Map.of());
      assertThat(none.awaitEnd(WAIT)).isTrue();
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.body())
          .isEqualTo(
              "no token: send it in an Authorization: Bearer header or the cookie ssekit_token"
                  + " or the query parameter access_token\n");
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 2);
    server.publish("rooms/lobby", "hello");
    for (RawSseClient stream : streams) {
      assertThat(stream.poll(WAIT).data()).isEqualTo("hello");
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anAnnotatedResourceIsAuthorizedWithItsTopicFromThePath(Supplier<TestContainer> factory)
      throws Exception {
    server = JwtServer.start(factory, LiveTokens.authorizer());
    Map<String, String> alice =
        headers("Authorization", "Bearer " + LiveTokens.valid("alice", ALICE_TOPICS));
    RawSseClient own = server.get("/api/entries/inbox/alice", alice);
    assertThat(own.status()).isEqualTo(200);
    RawSseClient other = server.get("/api/entries/inbox/bob", alice);
    assertThat(other.awaitEnd(WAIT)).isTrue();
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.body()).isEqualTo("the token does not allow reading users/bob/inbox\n");
    RawSseClient none = server.get("/api/entries/inbox/alice", Map.of());
    assertThat(none.awaitEnd(WAIT)).isTrue();
    assertThat(none.status()).isEqualTo(401);

    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 1);
    server.publish("users/bob/inbox", "bob's");
    server.publish("users/alice/inbox", "alice's");
    assertThat(own.poll(WAIT).data()).isEqualTo("alice's");
    assertThat(own.poll(Duration.ofMillis(100))).isNull();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aMercureSubscriberTokenInMercuresCookieOpensTheTopicsOfItsSelectors(
      Supplier<TestContainer> factory) throws Exception {
    server =
        JwtServer.start(
            factory,
            LiveTokens.authorizer().toBuilder()
                .cookieName("mercureAuthorization")
                .mercureTopicPrefix("https://example.com/")
                .build());
    Map<String, Object> mercure =
        Map.of("subscribe", List.of("https://example.com/books/{id}", "https://example.com/news"));
    String token =
        Tokens.hs256(
            new JWTClaimsSet.Builder()
                .audience(LiveTokens.AUDIENCE)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                .claim("mercure", mercure));
    Map<String, String> cookie = JwtServer.headers("Cookie", "mercureAuthorization=" + token);
    List<RawSseClient> streams = new ArrayList<>();
    for (Way way : Way.values()) {
      RawSseClient stream = server.get(way.target("", "books/*", "news"), cookie);
      assertThat(stream.status()).as("%s", way).isEqualTo(200);
      streams.add(stream);
      RawSseClient refused = server.get(way.target("", "books/1/reviews"), cookie);
      assertThat(refused.awaitEnd(WAIT)).isTrue();
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.body()).isEqualTo("the token does not allow reading books/1/reviews\n");
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == 2);
    server.publish("books/1/reviews", "not for it");
    server.publish("books/1", "book 1");
    server.publish("news", "news");
    for (RawSseClient stream : streams) {
      assertThat(stream.poll(WAIT).data()).isEqualTo("book 1");
      assertThat(stream.poll(WAIT).data()).isEqualTo("news");
      assertThat(stream.poll(Duration.ofMillis(100))).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aTokenBeyondTheContainersHeaderLimitIsRefusedByTheContainerNeverAStreamNorA500(
      Supplier<TestContainer> factory) throws Exception {
    // The default limit (8192 chars) is the containers' own header limit (8 KiB): a token that
    // large never reaches the authorizer, the container answers it.
    server = JwtServer.start(factory, JwtAuthorizer.builder().hmacSecret(Tokens.SECRET).build());
    JWTClaimsSet.Builder big = LiveTokens.claims("alice", ALICE_TOPICS);
    big.claim("padding", "x".repeat(JwtAuthorizer.DEFAULT_MAX_TOKEN_CHARS));
    String huge = Tokens.hs256(big);
    for (Sent sent : List.of(Sent.bearer("header", huge), Sent.cookie("cookie", huge))) {
      for (Way way : Way.values()) {
        RawSseClient client = server.get(way.target("", "rooms/lobby"), sent.headers());
        assertThat(client.awaitEnd(WAIT)).isTrue();
        // Jetty: 431 Request Header Fields Too Large; Tomcat: 400.
        assertThat(client.status()).as("%s by %s", way, sent).isIn(400, 431);
        assertThat(client.header("Content-Type")).doesNotStartWith("text/event-stream");
      }
    }
    assertThat(server.hub.stats().streamsOpened()).isZero();
  }

  private record BadToken(String what, String token, String reason) {}

  /** Each kind of token the README's table refuses with {@code 401} and {@code invalid_token}. */
  private static List<BadToken> badTokens() {
    Instant now = Instant.now();
    String valid = LiveTokens.valid("alice", ALICE_TOPICS);
    String[] parts = valid.split("\\.");
    // The same signature over claims that grant more: a tampered token.
    String tamperedClaims =
        base64Url(LiveTokens.claims("alice", "**").build().toPayload().toString());
    String tampered = parts[0] + "." + tamperedClaims + "." + parts[2];
    JWTClaimsSet.Builder big = LiveTokens.claims("alice", ALICE_TOPICS);
    big.claim("padding", "x".repeat(LiveTokens.MAX_TOKEN_CHARS));
    String oversized = Tokens.hs256(big);
    String signature = "token signature invalid: tampered, or signed with another key";
    return List.of(
        new BadToken(
            "malformed",
            "not.a.jwt",
            "token malformed: not a compact signed JWT with a" + " JSON claims set"),
        new BadToken("tampered", tampered, signature),
        new BadToken(
            "alg none",
            new PlainJWT(LiveTokens.claims("alice", ALICE_TOPICS).build()).serialize(),
            "token is unsigned (alg none): refused"),
        new BadToken(
            "another secret",
            Tokens.hmac(
                Tokens.OTHER_SECRET, JWSAlgorithm.HS256, LiveTokens.claims("alice", ALICE_TOPICS)),
            signature),
        new BadToken(
            "an RSA key's token",
            Tokens.rs(Tokens.rsa(), JWSAlgorithm.RS256, LiveTokens.claims("alice", ALICE_TOPICS)),
            "token algorithm not allowed: RS256"),
        new BadToken(
            "expired",
            LiveTokens.until(now.minusSeconds(5), "alice", ALICE_TOPICS),
            "token expired"),
        new BadToken(
            "not yet valid",
            Tokens.hs256(
                LiveTokens.claims("alice", ALICE_TOPICS)
                    .notBeforeTime(Date.from(now.plusSeconds(60)))),
            "token not yet valid (nbf)"),
        new BadToken(
            "another audience",
            Tokens.hs256(LiveTokens.claims("alice", ALICE_TOPICS).audience("billing")),
            "token audience (aud) not accepted"),
        new BadToken(
            "oversized",
            oversized,
            "token too large: "
                + oversized.length()
                + " chars, the limit is "
                + LiveTokens.MAX_TOKEN_CHARS));
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
