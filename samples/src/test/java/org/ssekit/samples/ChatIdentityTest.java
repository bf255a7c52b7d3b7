package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.ThreadChecks;

/**
 * The chat's identity endpoints against the real server on an ephemeral port, on Jetty and on
 * Tomcat, through both paths: login and logout, the signed session cookie (tampered, expired and
 * revoked cookies are no session), direct messages and private inboxes of three users, the stream
 * of rooms and inbox, and CORS for an allowed origin and another.
 */
class ChatIdentityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TEXT_UTF8 = "text/plain; charset=UTF-8";
  private static final String ALLOWED = "http://127.0.0.1:9";
  private static final String OTHER = "http://evil.example";

  /** The two ways into the same chat. */
  enum Side {
    SERVLET("", "/chat"),
    JAXRS("/api", "/api/chat");

    final String root;
    final String base;

    Side(String root, String base) {
      this.root = root;
      this.base = base;
    }

    Side other() {
      return this == SERVLET ? JAXRS : SERVLET;
    }
  }

  static Stream<Arguments> serversAndSides() {
    return Stream.of(ServerKind.values())
        .flatMap(kind -> Stream.of(Side.values()).map(side -> Arguments.of(kind, side)));
  }

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void stopServer() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    await().atMost(WAIT).until(() -> ThreadChecks.ssekitThreads().isEmpty());
  }

  private void start(ServerKind kind, ChatOptions options) throws Exception {
    server = ChatServer.start(options.withPort(0).withServer(kind));
  }

  private void start(ServerKind kind) throws Exception {
    start(kind, ChatOptions.defaults().withAllowedOrigins(List.of(ALLOWED)));
  }

  private HttpResponse<String> send(
      String method, String pathAndQuery, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
            .timeout(WAIT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String body, String cookie)
      throws Exception {
    return send(
        "POST",
        pathAndQuery,
        body,
        cookie == null
            ? Map.of("Content-Type", TEXT_UTF8)
            : Map.of("Content-Type", TEXT_UTF8, "Cookie", cookie));
  }

  /** A stream request that is refused: its answer completes. */
  private HttpResponse<String> refusedStream(String pathAndQuery, String cookie) throws Exception {
    return send(
        "GET",
        pathAndQuery,
        null,
        cookie == null
            ? Map.of("Accept", "text/event-stream")
            : Map.of("Accept", "text/event-stream", "Cookie", cookie));
  }

  /** Logs {@code name} in and returns the cookie to send: {@code chat_session=...}. */
  private String login(Side side, String name) throws Exception {
    HttpResponse<String> response = post(side.root + "/login", name, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpSseClient stream(String pathAndQuery, String cookie, String lastEventId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
            .header("Accept", "text/event-stream");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpSseClient client = HttpSseClient.get(http, request.build());
    clients.add(client);
    return client;
  }

  /** Opens {@code name}'s inbox and waits until it is subscribed. */
  private HttpSseClient inbox(Side side, String name, String cookie, String lastEventId)
      throws Exception {
    String topic = ChatAuthorizer.inboxTopic(name);
    int before = server.hub().subscriberCount(topic);
    HttpSseClient client = stream(side.base + "/inbox", cookie, lastEventId);
    assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.hub().subscriberCount(topic) > before);
    return client;
  }

  private String dm(Side side, String cookie, String to, String text) throws Exception {
    HttpResponse<String> response = post(side.base + "/dm?to=" + to, text, cookie);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body().trim();
  }

  private static void assertUnauthenticated(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains(ChatSessions.CHALLENGE);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain");
    assertThat(response.body()).isEqualTo("log in first: POST /login\n");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void loginAnswers204WithASignedHttpOnlyLaxSessionCookieForTheWholeSite(ServerKind kind, Side side)
      throws Exception {
    start(kind);

    HttpResponse<String> response = post(side.root + "/login", "alice_01-x\n", null);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().allValues("Set-Cookie")).hasSize(1);
    String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .matches("chat_session=alice_01-x\\.[0-9]+\\.[A-Za-z0-9_-]{43}; Max-Age=3600; .*")
        .contains("; Path=/", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("Secure");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aBadNameIs400WithAPlainTextReasonAndNoCookie(ServerKind kind, Side side) throws Exception {
    start(kind);
    Map<String, String> reasons =
        Map.of(
            "",
            "missing name\n",
            "a b",
            "name must be 1-32 chars of [A-Za-z0-9_-]: a b\n",
            "x".repeat(33),
            "name must be 1-32 chars of [A-Za-z0-9_-]: " + "x".repeat(33) + "\n",
            "ä",
            "name must be 1-32 chars of [A-Za-z0-9_-]: ä\n",
            "users/bob",
            "name must be 1-32 chars of [A-Za-z0-9_-]: users/bob\n");
    for (Map.Entry<String, String> bad : reasons.entrySet()) {
      HttpResponse<String> response = post(side.root + "/login", bad.getKey(), null);
      assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(response.body()).isEqualTo(bad.getValue());
      assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }
    HttpResponse<String> json =
        send("POST", side.root + "/login", "alice", Map.of("Content-Type", "application/json"));
    assertThat(json.statusCode()).isEqualTo(415);
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void withoutAValidSessionTheInboxCombinedStreamsAndDmsAre401WithAChallenge(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    String cookie = login(side, "alice");
    String value = cookie.substring(cookie.indexOf('=') + 1);
    String[] parts = value.split("\\.");
    char last = parts[2].charAt(parts[2].length() - 1);
    List<String> noSession =
        new ArrayList<>(
            List.of(
                // the signature changed
                "chat_session="
                    + value.substring(0, value.length() - 1)
                    + (last == 'A' ? 'B' : 'A'),
                // another name or a later expiry under alice's signature
                "chat_session=bob." + parts[1] + "." + parts[2],
                "chat_session=alice." + (Long.parseLong(parts[1]) + 1000) + "." + parts[2],
                "chat_session=alice",
                "other=" + value));
    noSession.add(null);

    for (String bad : noSession) {
      assertUnauthenticated(refusedStream(side.base + "/inbox", bad));
      assertUnauthenticated(refusedStream(side.base + "/events?room=lobby&inbox=1", bad));
      assertUnauthenticated(post(side.base + "/dm?to=bob", "hi", bad));
    }
    assertThat(server.hub().subscriberCount(ChatAuthorizer.inboxTopic("alice"))).isZero();
    // A tampered cookie is no session, not a refusal: the rooms are open to anyone.
    HttpSseClient anonymous = stream(side.base + "/events?room=lobby", noSession.get(0), null);
    assertThat(anonymous.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aDmReachesTheRecipientsInboxOnlyAsJsonAndNoOtherUserEverReadsIt(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    String alice = login(side, "alice");
    String bob = login(side.other(), "bob");
    String carol = login(side, "carol");
    HttpSseClient aliceInbox = inbox(side, "alice", alice, null);
    HttpSseClient bobInbox = inbox(side.other(), "bob", bob, null);
    HttpSseClient carolInbox = inbox(side, "carol", carol, null);

    String before = dm(side.other(), bob, "carol", "first");
    assertThat(carolInbox.poll(WAIT).lastEventId()).isEqualTo(before);
    String toBob = dm(side, alice, "bob", "hi \"bob\"\\\nline two\ttab \u2028 Grüße 😀");
    String toAlice = dm(side.other(), bob, "alice", "hello");
    String toCarol = dm(side, alice, "carol", "for carol");

    assertThat(bobInbox.poll(WAIT))
        .isEqualTo(
            new ReceivedEvent(
                "dm",
                "{\"from\":\"alice\",\"text\":\"hi \\\"bob\\\"\\\\\\nline two\\ttab \\u2028"
                    + " Grüße 😀\"}",
                toBob));
    assertThat(aliceInbox.poll(WAIT))
        .isEqualTo(new ReceivedEvent("dm", "{\"from\":\"bob\",\"text\":\"hello\"}", toAlice));
    assertThat(carolInbox.poll(WAIT))
        .isEqualTo(new ReceivedEvent("dm", "{\"from\":\"alice\",\"text\":\"for carol\"}", toCarol));
    assertThat(aliceInbox.drain()).isEmpty();
    assertThat(bobInbox.drain()).isEmpty();
    assertThat(carolInbox.drain()).isEmpty();

    // A replay from carol's first DM, whose range holds the DMs of others too, on either path, in
    // the inbox or with a room: carol's only.
    List<String> carols = new ArrayList<>(List.of(toCarol));
    for (Side path : Side.values()) {
      HttpSseClient replay = inbox(path, "carol", carol, before);
      HttpSseClient withRoom = stream(path.base + "/events?room=elsewhere&inbox=1", carol, before);
      for (HttpSseClient client : List.of(replay, withRoom)) {
        for (String id : carols) {
          assertThat(client.poll(WAIT).lastEventId()).isEqualTo(id);
        }
      }
      // Both got their replay: they are subscribed, so the next DM reaches them live.
      dm(path, bob, "bob", "a note to self");
      dm(path, carol, "alice", "to alice");
      String marker = dm(path, bob, "carol", "marker");
      carols.add(marker);
      for (HttpSseClient client : List.of(replay, withRoom, carolInbox)) {
        assertThat(client.poll(WAIT).lastEventId()).isEqualTo(marker);
        assertThat(client.drain()).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void underContentionEveryInboxGetsExactlyItsOwnDmsWhicheverPathsSendAndRead(ServerKind kind)
      throws Exception {
    start(kind);
    int users = 12;
    int senders = 8;
    int dmsPerSender = 25;
    List<String> cookies = new ArrayList<>();
    List<HttpSseClient> inboxes = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      Side side = Side.values()[u % 2];
      cookies.add(login(side, "user" + u));
      inboxes.add(inbox(side.other(), "user" + u, cookies.get(u), null));
    }
    Map<Integer, List<String>> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> sent = new ArrayList<>();
    try {
      for (int t = 0; t < senders; t++) {
        int sender = t;
        sent.add(
            pool.submit(
                () -> {
                  assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
                  for (int i = 0; i < dmsPerSender; i++) {
                    int to = (sender * 7 + i * 5) % users;
                    Side side = Side.values()[(sender + i) % 2];
                    String id = dm(side, cookies.get(sender), "user" + to, sender + "/" + i);
                    expected
                        .computeIfAbsent(to, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(id);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> done : sent) {
        done.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int u = 0; u < users; u++) {
      List<String> mine = expected.getOrDefault(u, List.of());
      List<String> received = new ArrayList<>();
      for (int i = 0; i < mine.size(); i++) {
        ReceivedEvent event = inboxes.get(u).poll(WAIT);
        assertThat(event).as("user%d, DM %d of %d", u, i + 1, mine.size()).isNotNull();
        assertThat(event.type()).isEqualTo("dm");
        received.add(event.lastEventId());
      }
      assertThat(received).as("user" + u).containsExactlyInAnyOrderElementsOf(mine);
      assertThat(inboxes.get(u).poll(Duration.ofMillis(100))).as("user" + u).isNull();
    }
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aDmToABadNameIs400AndAnEmptyOrLargeBodyIsAnsweredAsForMessages(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    String alice = login(side, "alice");
    assertThat(post(side.base + "/dm", "hi", alice).body())
        .isEqualTo("missing query parameter: to\n");
    HttpResponse<String> slash = post(side.base + "/dm?to=users%2Fbob", "hi", alice);
    assertThat(slash.statusCode()).isEqualTo(400);
    assertThat(slash.body())
        .isEqualTo("query parameter: to must be 1-32 chars of [A-Za-z0-9_-]: users/bob\n");
    assertThat(post(side.base + "/dm?to=bob", "x".repeat(70_000), alice).statusCode())
        .isEqualTo(413);
    HttpResponse<String> json =
        send(
            "POST",
            side.base + "/dm?to=bob",
            "{}",
            Map.of("Content-Type", "application/json", "Cookie", alice));
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(server.hub().stats().eventsPublished()).isZero();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void oneStreamCarriesRoomsNamedAfterThemAndTheUsersDms(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    String alice = login(side, "alice");
    String bob = login(side, "bob");
    HttpSseClient combined = stream(side.base + "/events?room=lobby&inbox=1", alice, null);
    assertThat(combined.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(() -> server.hub().subscriberCount(ChatRooms.multiRoomTopic("lobby")) == 1);

    HttpResponse<String> posted = post(side.other().base + "/messages?room=lobby", "hi all", bob);
    String roomId = posted.headers().firstValue("Multi-Room-Event-Id").orElseThrow();
    String dmId = dm(side.other(), bob, "alice", "psst");
    dm(side, alice, "bob", "not for alice's stream");

    assertThat(combined.poll(WAIT)).isEqualTo(new ReceivedEvent("lobby", "hi all", roomId));
    assertThat(combined.poll(WAIT))
        .isEqualTo(new ReceivedEvent("dm", "{\"from\":\"bob\",\"text\":\"psst\"}", dmId));
    assertThat(combined.poll(Duration.ofMillis(300))).isNull();

    HttpResponse<String> dmRoom =
        refusedStream(side.base + "/events?room=lobby&room=dm&inbox=1", alice);
    assertThat(dmRoom.statusCode()).isEqualTo(400);
    assertThat(dmRoom.body())
        .isEqualTo("room dm cannot share a stream with the inbox: its events are named dm too\n");
    assertThat(refusedStream(side.base + "/events?room=lobby&inbox=yes", alice).body())
        .isEqualTo("inbox must be 0 or 1: yes\n");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void logoutClearsTheCookieEndsTheUsersStreamsAndRevokesTheCookie(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    String alice = login(side, "alice");
    String aliceElsewhere = login(side.other(), "alice");
    String bob = login(side, "bob");
    HttpSseClient inbox = inbox(side, "alice", alice, null);
    HttpSseClient rooms = stream(side.other().base + "/events?room=lobby", aliceElsewhere, null);
    assertThat(rooms.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    HttpSseClient bobs = inbox(side, "bob", bob, null);

    HttpResponse<String> out = post(side.root + "/logout", "", alice);

    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("chat_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    for (HttpSseClient ended : List.of(inbox, rooms)) {
      assertThat(ended.pollRetry(WAIT)).isNotNull();
      ended.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    // Every cookie of alice issued before the logout is revoked; a room stream is anonymous then.
    for (String old : List.of(alice, aliceElsewhere)) {
      assertUnauthenticated(refusedStream(side.base + "/inbox", old));
      assertUnauthenticated(post(side.other().base + "/dm?to=bob", "hi", old));
    }
    assertThat(
            stream(side.base + "/events?room=lobby", alice, null).awaitHeaders(WAIT).statusCode())
        .isEqualTo(200);
    String again = login(side.other(), "alice");
    HttpSseClient back = inbox(side, "alice", again, null);
    String id = dm(side, bob, "alice", "welcome back");
    assertThat(back.poll(WAIT).lastEventId()).isEqualTo(id);
    assertThat(bobs.ended()).isNotDone();
    // Without a session, a logout still answers 204 and clears the cookie.
    HttpResponse<String> anonymous = post(side.root + "/logout", "", null);
    assertThat(anonymous.statusCode()).isEqualTo(204);
    assertThat(anonymous.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("chat_session=; Max-Age=0");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aStreamEndsWhenItsSessionExpiresAndTheExpiredCookieIsNoSession(ServerKind kind, Side side)
      throws Exception {
    start(kind, ChatOptions.defaults().withSessionLifetime(Duration.ofSeconds(2)));
    String alice = login(side, "alice");
    assertThat(alice).isNotNull();
    long loggedIn = System.nanoTime();
    HttpSseClient inbox = inbox(side, "alice", alice, null);
    HttpSseClient combined = stream(side.other().base + "/events?room=a&inbox=1", alice, null);
    assertThat(combined.awaitHeaders(WAIT).statusCode()).isEqualTo(200);

    for (HttpSseClient client : List.of(inbox, combined)) {
      assertThat(client.pollRetry(WAIT)).isNotNull();
      client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - loggedIn))
        .isGreaterThan(Duration.ofMillis(1500));
    assertUnauthenticated(refusedStream(side.base + "/inbox", alice));
    assertUnauthenticated(post(side.base + "/dm?to=bob", "late", alice));
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void anAllowedOriginGetsCorsWithCredentialsOnStreamsPostsAndPreflightsAndAnotherGetsNone(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    String alice = login(side, "alice");
    for (String origin : List.of(ALLOWED, OTHER)) {
      boolean allowed = origin.equals(ALLOWED);
      List<HttpHeaders> answers = new ArrayList<>();
      HttpSseClient stream =
          HttpSseClient.get(
              http,
              HttpRequest.newBuilder(server.uri().resolve(side.base + "/inbox"))
                  .header("Cookie", alice)
                  .header("Origin", origin)
                  .build());
      clients.add(stream);
      answers.add(stream.awaitHeaders(WAIT).headers());
      answers.add(
          send("GET", side.base + "/inbox", null, Map.of("Origin", origin)).headers()); // 401
      answers.add(
          send(
                  "POST",
                  side.root + "/login",
                  "bob",
                  Map.of("Origin", origin, "Content-Type", TEXT_UTF8))
              .headers());
      answers.add(
          send(
                  "POST",
                  side.base + "/dm?to=bob",
                  "hi",
                  Map.of("Origin", origin, "Content-Type", TEXT_UTF8, "Cookie", alice))
              .headers());
      answers.add(
          send(
                  "POST",
                  side.base + "/messages?room=lobby",
                  "hi",
                  Map.of("Origin", origin, "Content-Type", TEXT_UTF8))
              .headers());
      for (HttpHeaders headers : answers) {
        if (allowed) {
          assertThat(headers.firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);
          assertThat(headers.firstValue("Access-Control-Allow-Credentials")).contains("true");
          assertThat(headers.allValues("Vary")).contains("Origin");
        } else {
          assertThat(headers.firstValue("Access-Control-Allow-Origin")).isEmpty();
          assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
      }

      for (String path : List.of(side.base + "/dm?to=bob", side.root + "/login")) {
        HttpResponse<String> preflight =
            send(
                "OPTIONS",
                path,
                null,
                Map.of(
                    "Origin",
                    origin,
                    "Access-Control-Request-Method",
                    "POST",
                    "Access-Control-Request-Headers",
                    "content-type"));
        if (allowed) {
          assertThat(preflight.statusCode()).isEqualTo(204);
          assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
              .contains(ALLOWED);
          assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
              .contains("true");
          assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
              .contains("POST");
          assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
              .contains("Content-Type");
        } else {
          assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
      }
      HttpResponse<String> streamPreflight =
          send(
              "OPTIONS",
              side.base + "/inbox",
              null,
              Map.of(
                  "Origin",
                  origin,
                  "Access-Control-Request-Method",
                  "GET",
                  "Access-Control-Request-Headers",
                  "last-event-id"));
      if (allowed) {
        assertThat(streamPreflight.statusCode()).isEqualTo(204);
        assertThat(streamPreflight.headers().firstValue("Access-Control-Allow-Methods"))
            .contains("GET");
        assertThat(streamPreflight.headers().firstValue("Access-Control-Allow-Origin"))
            .contains(ALLOWED);
      } else {
        assertThat(streamPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      }
    }
  }
}
