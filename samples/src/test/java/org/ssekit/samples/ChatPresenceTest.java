package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.ThreadChecks;

/**
 * Presence in the chat over real HTTP, on Jetty and on Tomcat, through both paths: {@code
 * presence=1} streams get the joins and leaves of logged-in users, {@code /rooms/R/members} lists
 * them, anonymous streams are not members, bad input is 400.
 */
class ChatPresenceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TEXT_UTF8 = "text/plain; charset=UTF-8";

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
  private final List<HttpSseClient> clients = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void stopServer() throws Exception {
    for (HttpSseClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    await().atMost(WAIT).until(() -> ThreadChecks.ssekitThreads().isEmpty());
  }

  private void start(ServerKind kind) throws Exception {
    // A closed connection is noticed at the next write: short keep-alives make leaves quick.
    server =
        ChatServer.start(
            ChatOptions.defaults()
                .withPort(0)
                .withServer(kind)
                .withKeepAlive(Duration.ofMillis(100)));
  }

  private HttpResponse<String> get(String pathAndQuery, String cookie) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).timeout(WAIT);
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(
        request.GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String body, String cookie)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
            .timeout(WAIT)
            .header("Content-Type", TEXT_UTF8)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String login(Side side, String name) throws Exception {
    HttpResponse<String> response = post(side.root + "/login", name, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpSseClient stream(String pathAndQuery, String cookie) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
            .header("Accept", "text/event-stream");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpSseClient client = HttpSseClient.get(http, request.build());
    clients.add(client);
    assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    return client;
  }

  /** Returns the data of the next event, which must be a presence event. */
  private static String presence(HttpSseClient client) throws InterruptedException {
    ReceivedEvent event = client.poll(WAIT);
    assertThat(event).as("a presence event within " + WAIT).isNotNull();
    assertThat(event.type()).as(event.toString()).isEqualTo("presence");
    return event.data();
  }

  private List<String> members(Side side, String room) throws Exception {
    HttpResponse<String> response = get(side.base + "/rooms/" + room + "/members", null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    String body = response.body().trim();
    assertThat(body).startsWith("[").endsWith("]");
    List<String> names = new ArrayList<>();
    for (String quoted : body.substring(1, body.length() - 1).split(",")) {
      if (!quoted.isEmpty()) {
        assertThat(quoted).startsWith("\"").endsWith("\"");
        names.add(quoted.substring(1, quoted.length() - 1));
      }
    }
    return names;
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void loggedInUsersSeeEachOthersJoinsAndLeavesAndTheMembersEndpointFollows(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    String alice = login(side, "alice");
    String bob = login(side.other(), "bob");
    HttpSseClient anonymous = stream(side.base + "/events?room=lobby&presence=1", null);
    HttpSseClient plainAnonymous = stream(side.other().base + "/events?room=lobby&room=x", null);

    HttpSseClient alices = stream(side.base + "/events?room=lobby&presence=1", alice);
    assertThat(presence(alices)).isEqualTo("{\"join\":\"alice\"}"); // itself, once attributed
    assertThat(presence(anonymous)).isEqualTo("{\"join\":\"alice\"}");
    HttpSseClient bobs = stream(side.other().base + "/events?room=lobby&presence=1", bob);
    assertThat(Set.of(presence(bobs), presence(bobs)))
        .containsExactlyInAnyOrder("{\"join\":\"alice\"}", "{\"join\":\"bob\"}");
    assertThat(presence(alices)).isEqualTo("{\"join\":\"bob\"}");
    assertThat(presence(anonymous)).isEqualTo("{\"join\":\"bob\"}");
    // Anonymous streams, with presence or of several rooms, are no members.
    assertThat(members(side, "lobby")).containsExactly("alice", "bob");
    assertThat(members(side.other(), "lobby")).containsExactly("alice", "bob");
    assertThat(members(side, "x")).isEmpty();

    // A presence stream of one room gets the room's messages named after it, with the ids of the
    // multi-room topic.
    HttpResponse<String> posted = post(side.base + "/messages?room=lobby", "hi", alice);
    assertThat(posted.statusCode()).isEqualTo(202);
    String multiRoomId = posted.headers().firstValue("Multi-Room-Event-Id").orElseThrow();
    assertThat(alices.poll(WAIT)).isEqualTo(new ReceivedEvent("lobby", "hi", multiRoomId));
    assertThat(bobs.poll(WAIT)).isEqualTo(new ReceivedEvent("lobby", "hi", multiRoomId));
    assertThat(anonymous.poll(WAIT)).isEqualTo(new ReceivedEvent("lobby", "hi", multiRoomId));

    bobs.close();
    assertThat(presence(alices)).isEqualTo("{\"leave\":\"bob\"}");
    assertThat(presence(anonymous)).isEqualTo("{\"leave\":\"bob\"}");
    assertThat(members(side, "lobby")).containsExactly("alice");
    assertThat(members(side.other(), "lobby")).containsExactly("alice");
    assertThat(alices.poll(Duration.ofMillis(300))).isNull();
    assertThat(plainAnonymous.ended()).isNotDone();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aStreamOfSeveralRoomsGetsTheTopicOfEachJoinAndPresenceStreamsWithTheInboxCount(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    String alice = login(side, "alice");
    String carol = login(side, "carol");
    HttpSseClient alices = stream(side.other().base + "/events?room=kitchen&inbox=1", alice);
    await().atMost(WAIT).until(() -> members(side, "kitchen").equals(List.of("alice")));

    HttpSseClient carols =
        stream(side.base + "/events?room=lobby&room=kitchen&presence=1&inbox=1", carol);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      seen.add(presence(carols));
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "{\"join\":\"alice\",\"topic\":\"rooms/kitchen\"}",
            "{\"join\":\"carol\",\"topic\":\"rooms/kitchen\"}",
            "{\"join\":\"carol\",\"topic\":\"rooms/lobby\"}");
    assertThat(members(side.other(), "lobby")).containsExactly("carol");
    assertThat(members(side.other(), "kitchen")).containsExactly("alice", "carol");

    alices.close();
    assertThat(presence(carols)).isEqualTo("{\"leave\":\"alice\",\"topic\":\"rooms/kitchen\"}");
    assertThat(members(side, "kitchen")).containsExactly("carol");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aBadRoomOrPresenceValueIs400WithAPlainTextReason(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    String alice = login(side, "alice");
    HttpResponse<String> badRoom = get(side.base + "/rooms/bad!room/members", null);
    assertThat(badRoom.statusCode()).isEqualTo(400);
    assertThat(badRoom.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(badRoom.body()).contains("bad!room");
    HttpResponse<String> tooLong = get(side.base + "/rooms/" + "r".repeat(65) + "/members", null);
    assertThat(tooLong.statusCode()).isEqualTo(400);

    HttpResponse<String> badFlag = get(side.base + "/events?room=lobby&presence=yes", alice);
    assertThat(badFlag.statusCode()).isEqualTo(400);
    assertThat(badFlag.body()).isEqualTo("presence must be 0 or 1: yes\n");
    HttpResponse<String> presenceRoom =
        get(side.base + "/events?room=lobby&room=presence&presence=1", alice);
    assertThat(presenceRoom.statusCode()).isEqualTo(400);
    assertThat(presenceRoom.body())
        .isEqualTo(
            "room presence cannot share a stream with presence events: its events are named"
                + " presence too\n");
  }
}
