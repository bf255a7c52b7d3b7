package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The demo's HTTP interface, against the real server on an ephemeral port, on Jetty and on Tomcat:
 * the same requests must get the same answers from both.
 */
class ChatServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The two ways into the same rooms. */
  enum Side {
    SERVLET("/chat"),
    JAXRS("/api/chat");

    final String base;

    Side(String base) {
      this.base = base;
    }

    String events(String room) {
      return base + "/events?room=" + room;
    }

    String messages(String room) {
      return base + "/messages?room=" + room;
    }
  }

  static Stream<Arguments> serversAndSides() {
    return Stream.of(ServerKind.values())
        .flatMap(kind -> Stream.of(Side.values()).map(side -> Arguments.of(kind, side)));
  }

  private static final String TEXT_UTF8 = "text/plain; charset=UTF-8";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private final List<HttpSseClient> clients = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void stopServer() {
    clients.forEach(HttpSseClient::close);
    if (server != null) {
      server.close();
    }
    await().atMost(WAIT).until(() -> ThreadChecks.ssekitThreads().isEmpty());
  }

  private void start(ServerKind kind) throws Exception {
    start(kind, true);
  }

  private void start(ServerKind kind, boolean testHooks) throws Exception {
    server =
        ChatServer.start(
            ChatOptions.defaults().withPort(0).withServer(kind).withTestHooks(testHooks));
  }

  private URI uri(String pathAndQuery) {
    return server.uri().resolve(pathAndQuery);
  }

  private HttpSseClient stream(String pathAndQuery, String lastEventId) {
    HttpSseClient client = HttpSseClient.open(http, uri(pathAndQuery), lastEventId);
    clients.add(client);
    return client;
  }

  /** Opens a stream and waits until it is subscribed, so that what is published next reaches it. */
  private HttpSseClient subscribe(String room, String lastEventId) throws Exception {
    return subscribe(Side.SERVLET, room, lastEventId);
  }

  private HttpSseClient subscribe(Side side, String room, String lastEventId) throws Exception {
    int before = server.hub().subscriberCount(room);
    HttpSseClient client = stream(side.events(room), lastEventId);
    assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.hub().subscriberCount(room) > before);
    return client;
  }

  private HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(WAIT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String publish(String room, String text) throws Exception {
    return publish(Side.SERVLET, room, text);
  }

  private String publish(Side side, String room, String text) throws Exception {
    HttpResponse<String> response =
        post(side.messages(room), TEXT_UTF8, text.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body().trim();
  }

  private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(WAIT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void postAnswers202WithTheIdThatSubscribersOfBothPathsReceive(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    HttpSseClient servlet = subscribe(Side.SERVLET, "lobby", null);
    HttpSseClient jaxrs = subscribe(Side.JAXRS, "lobby", null);

    HttpResponse<String> response =
        post(side.messages("lobby"), TEXT_UTF8, "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    String id = response.body().trim();
    assertThat(response.body()).isEqualTo(id + "\n");
    assertThat(id).isNotEmpty();
    for (HttpSseClient client : List.of(servlet, jaxrs)) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.type()).isEqualTo("message");
      assertThat(event.data()).isEqualTo("hello");
      assertThat(event.lastEventId()).isEqualTo(id);
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void bothPathsSeeOneSequenceOfIdsWhicheverPathPublished(ServerKind kind) throws Exception {
    start(kind);
    HttpSseClient servlet = subscribe(Side.SERVLET, "lobby", null);
    HttpSseClient jaxrs = subscribe(Side.JAXRS, "lobby", null);
    List<String> ids = new ArrayList<>();

    for (int i = 0; i < 6; i++) {
      ids.add(publish(i % 2 == 0 ? Side.SERVLET : Side.JAXRS, "lobby", "message " + i));
    }

    for (HttpSseClient client : List.of(servlet, jaxrs)) {
      List<ReceivedEvent> events = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        events.add(client.poll(WAIT));
      }
      assertThat(events).extracting(ReceivedEvent::lastEventId).containsExactlyElementsOf(ids);
      assertThat(events)
          .extracting(ReceivedEvent::data)
          .containsExactly(
              "message 0", "message 1", "message 2", "message 3", "message 4", "message 5");
      assertThat(client.drain()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void messagesOfOneRoomDoNotReachAnother(ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient other = subscribe(side, "other", null);
    HttpSseClient lobby = subscribe(side, "lobby", null);

    publish(side, "lobby", "for the lobby");
    String otherId = publish(side, "other", "for the other room");

    assertThat(lobby.poll(WAIT).data()).isEqualTo("for the lobby");
    ReceivedEvent received = other.poll(WAIT);
    assertThat(received.data()).isEqualTo("for the other room");
    assertThat(received.lastEventId()).isEqualTo(otherId);
    assertThat(other.drain()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void dataArrivesExactlyAsSentWithAnyLineEndsAndUnicode(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    HttpSseClient servlet = subscribe(Side.SERVLET, "lobby", null);
    HttpSseClient jaxrs = subscribe(Side.JAXRS, "lobby", null);
    List<String> messages =
        List.of(
            "one\rtwo\nthree\r\nfour",
            "Grüße, 世界 😀 — ½ ∑ ‰",
            "  leading and trailing spaces  ",
            "data: not a field\n\nid: 7\n:comment\nevent: x",
            "ends with a line end\n",
            "\r\n",
            "");

    for (String message : messages) {
      publish(side, "lobby", message);
    }

    for (HttpSseClient client : List.of(servlet, jaxrs)) {
      for (String message : messages) {
        ReceivedEvent event = client.poll(WAIT);
        assertThat(event).as(message).isNotNull();
        assertThat(event.type()).isEqualTo("message");
        // The event-stream format has one kind of line break: CR and CRLF reach clients as LF.
        assertThat(event.data()).isEqualTo(message.replace("\r\n", "\n").replace('\r', '\n'));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void missingOrInvalidRoomIs400WithAReason(ServerKind kind, Side side) throws Exception {
    start(kind);
    String tooLong = "r".repeat(65);
    for (String room : Arrays.asList(null, "", tooLong, "a%20b", "%C3%BC", "a/b", "a.b")) {
      String query = room == null ? "" : "?room=" + room;
      HttpResponse<String> events =
          http.send(
              HttpRequest.newBuilder(uri(side.base + "/events" + query))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> messages =
          post(side.base + "/messages" + query, TEXT_UTF8, new byte[] {'x'});
      List<HttpResponse<String>> responses = new ArrayList<>(List.of(events, messages));
      if (side == Side.SERVLET) {
        responses.add(send("POST", "/admin/drop" + query));
      }
      for (HttpResponse<String> response : responses) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
            .startsWith("text/plain");
        assertThat(response.body())
            .as(response.uri().toString())
            .matches(
                room == null
                    ? "missing query parameter: room\n"
                    : "room must be 1-64 chars of \\[A-Za-z0-9_-\\]: .*\n");
      }
    }
    assertThat(publish(side, "r".repeat(64), "64 chars is fine")).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void deletingWithoutAValidRoomIs400(ServerKind kind) throws Exception {
    start(kind);

    for (String path :
        List.of(
            "/chat/rooms/a.b", "/chat/rooms/" + "r".repeat(65), "/chat/rooms/", "/chat/rooms")) {
      HttpResponse<String> response = send("DELETE", path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.body()).as(path).isNotBlank();
    }
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void messageOver64KiBIs413(ServerKind kind, Side side) throws Exception {
    start(kind);
    byte[] limit = new byte[64 * 1024];
    Arrays.fill(limit, (byte) 'a');
    byte[] over = Arrays.copyOf(limit, limit.length + 1);
    over[over.length - 1] = 'a';
    HttpSseClient client = subscribe(side, "lobby", null);

    HttpResponse<String> tooLarge = post(side.messages("lobby"), TEXT_UTF8, over);
    String id = publish(side, "lobby", new String(limit, StandardCharsets.UTF_8));

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).isEqualTo("message larger than 65536 bytes\n");
    ReceivedEvent event = client.poll(WAIT);
    assertThat(event.lastEventId()).isEqualTo(id);
    assertThat(event.data()).hasSize(limit.length);
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void contentTypeOtherThanPlainTextUtf8Is415(ServerKind kind, Side side) throws Exception {
    start(kind);
    byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
    String messages = side.messages("lobby");

    assertThat(post(messages, "application/json", body))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(415))
        .satisfies(
            r ->
                assertThat(r.body())
                    .isEqualTo("content type must be text/plain: application/json\n"));
    assertThat(post(messages, null, body))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(415))
        .satisfies(
            r ->
                assertThat(r.body())
                    .isEqualTo("content type must be text/plain; charset=UTF-8: none\n"));
    assertThat(post(messages, "text/plain; charset=ISO-8859-1", body))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(415))
        .satisfies(
            r -> assertThat(r.body()).isEqualToIgnoringCase("charset must be UTF-8: ISO-8859-1\n"));
    assertThat(post(messages, "Text/Plain", body).statusCode()).isEqualTo(202);
    assertThat(post(messages, "text/plain;charset=\"utf-8\"", body).statusCode()).isEqualTo(202);
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void bodyThatIsNotUtf8Is400(ServerKind kind, Side side) throws Exception {
    start(kind);

    HttpResponse<String> response =
        post(
            side.messages("lobby"),
            TEXT_UTF8,
            new byte[] {'a', (byte) 0xC3, '(', (byte) 0xED, (byte) 0xA0, (byte) 0x80});

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("message is not valid UTF-8\n");
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void deletingARoomEndsItsStreamsOnBothPathsAndLaterSubscriptionsGet204(ServerKind kind)
      throws Exception {
    start(kind);
    HttpSseClient servlet = subscribe(Side.SERVLET, "doomed", null);
    HttpSseClient jaxrs = subscribe(Side.JAXRS, "doomed", null);
    HttpSseClient bystander = subscribe(Side.JAXRS, "lobby", null);
    String lastId = publish("doomed", "last words");

    HttpResponse<String> deleted = send("DELETE", "/chat/rooms/doomed");

    assertThat(deleted.statusCode()).isEqualTo(204);
    for (HttpSseClient client : List.of(servlet, jaxrs)) {
      assertThat(client.poll(WAIT).data()).isEqualTo("last words");
      client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (Side side : Side.values()) {
      for (String lastEventId : Arrays.asList(null, lastId)) {
        HttpSseClient later = stream(side.events("doomed"), lastEventId);
        assertThat(later.awaitHeaders(WAIT).statusCode())
            .as(side + " " + lastEventId)
            .isEqualTo(204);
        later.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      HttpResponse<String> afterwards = post(side.messages("doomed"), TEXT_UTF8, new byte[] {'x'});
      assertThat(afterwards.statusCode()).isEqualTo(410);
      assertThat(afterwards.body()).isEqualTo("room closed: doomed\n");
    }
    assertThat(send("DELETE", "/chat/rooms/doomed").statusCode()).isEqualTo(204);
    assertThat(bystander.ended()).isNotDone();
    publish("lobby", "still here");
    assertThat(bystander.poll(WAIT).data()).isEqualTo("still here");
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void deletingARoomNobodyPostedToEndsItsStreamsAndLaterOnesGet204(ServerKind kind, Side side)
      throws Exception {
    start(kind);
    HttpSseClient client = subscribe(side, "quiet", null);

    assertThat(send("DELETE", "/chat/rooms/quiet").statusCode()).isEqualTo(204);

    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    HttpSseClient later = stream(side.events("quiet"), null);
    assertThat(later.awaitHeaders(WAIT).statusCode()).isEqualTo(204);
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void dropEndsStreamsAndAReconnectWithLastEventIdGetsWhatWasPostedMeanwhileOnce(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient client = subscribe(side, "lobby", null);
    String first = publish("lobby", "before the drop");
    assertThat(client.poll(WAIT).lastEventId()).isEqualTo(first);

    HttpResponse<String> dropped = send("POST", "/admin/drop?room=lobby");
    assertThat(dropped.statusCode()).isEqualTo(200);
    assertThat(dropped.body()).isEqualTo("dropped 1 streams of lobby\n");
    client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    String second = publish(Side.SERVLET, "lobby", "while away 1");
    String third = publish(Side.JAXRS, "lobby", "while away 2");
    HttpSseClient resumed = subscribe(side, "lobby", first);
    String fourth = publish("lobby", "live again");

    List<ReceivedEvent> events =
        List.of(resumed.poll(WAIT), resumed.poll(WAIT), resumed.poll(WAIT));
    assertThat(events)
        .extracting(ReceivedEvent::lastEventId)
        .containsExactly(second, third, fourth);
    assertThat(events)
        .extracting(ReceivedEvent::data)
        .containsExactly("while away 1", "while away 2", "live again");
    assertThat(resumed.drain()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void unknownLastEventIdGetsAGapNotice(ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient client = subscribe(side, "lobby", "not-an-id");

    ReceivedEvent gap = client.poll(WAIT);

    assertThat(gap.type()).isEqualTo("ssekit-gap");
    assertThat(gap.data()).isEqualTo("unknown-last-event-id");
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void adminDropIsNotMappedWithoutTestHooks(ServerKind kind) throws Exception {
    start(kind, false);

    assertThat(send("POST", "/admin/drop?room=lobby").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void closingTheServerSendsAJitteredRetryThenEndsEveryStream(ServerKind kind) throws Exception {
    start(kind);
    HttpSseClient servlet = subscribe(Side.SERVLET, "lobby", null);
    HttpSseClient jaxrs = subscribe(Side.JAXRS, "lobby", null);

    server.close();

    for (HttpSseClient client : List.of(servlet, jaxrs)) {
      Long retryMillis = client.pollRetry(WAIT);
      assertThat(retryMillis).isNotNull().isBetween(1_000L, 10_000L);
      client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    assertThat(server.awaitClosed(0, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void servesThePageAndItsAssets(ServerKind kind) throws Exception {
    start(kind);

    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("<title>ssekit chat</title>", "/app.js", "/app.css");
    for (String asset : List.of("/app.js", "/app.css", "/favicon.svg")) {
      assertThat(
              http.send(
                      HttpRequest.newBuilder(uri(asset)).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .as(asset)
          .isEqualTo(200);
    }
    assertThat(
            http.send(
                    HttpRequest.newBuilder(uri("/nothing-here")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .isEqualTo(404);
  }
}
