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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.ThreadChecks;

/**
 * Streams of several rooms ({@code GET /chat/events?room=a&room=b} and the same under {@code
 * /api}), against the real server on an ephemeral port, on Jetty and on Tomcat, through both paths:
 * one stream with every listed room's messages, each named after its room; streams of one room
 * unchanged; one {@code Last-Event-ID} for every room; the limits; closed rooms.
 */
class MultiRoomStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TEXT_UTF8 = "text/plain; charset=UTF-8";

  /** The two ways into the same rooms. */
  enum Side {
    SERVLET("/chat"),
    JAXRS("/api/chat");

    final String base;

    Side(String base) {
      this.base = base;
    }

    String events(String... rooms) {
      return base
          + "/events?"
          + Arrays.stream(rooms).map(room -> "room=" + room).collect(Collectors.joining("&"));
    }

    String messages(String room) {
      return base + "/messages?room=" + room;
    }

    Side other() {
      return this == SERVLET ? JAXRS : SERVLET;
    }
  }

  /** What a post was answered: the id on the room's stream and on streams of several rooms. */
  record Posted(String id, String multiRoomId) {}

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

  private void start(ServerKind kind) throws Exception {
    server =
        ChatServer.start(ChatOptions.defaults().withPort(0).withServer(kind).withTestHooks(true));
  }

  private URI uri(String pathAndQuery) {
    return server.uri().resolve(pathAndQuery);
  }

  private HttpSseClient stream(String pathAndQuery, String lastEventId) {
    HttpSseClient client = HttpSseClient.open(http, uri(pathAndQuery), lastEventId);
    clients.add(client);
    return client;
  }

  /**
   * Opens a stream of {@code rooms} and waits until it is subscribed (to the first room's topic of
   * its kind), so that what is published next reaches it.
   */
  private HttpSseClient subscribe(Side side, String lastEventId, String... rooms) throws Exception {
    String topic = rooms.length == 1 ? rooms[0] : ChatRooms.multiRoomTopic(rooms[0]);
    int before = server.hub().subscriberCount(topic);
    HttpSseClient client = stream(side.events(rooms), lastEventId);
    assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.hub().subscriberCount(topic) > before);
    return client;
  }

  private HttpResponse<String> post(String pathAndQuery, String text) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(WAIT)
            .header("Content-Type", TEXT_UTF8)
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private Posted publish(Side side, String room, String text) throws Exception {
    HttpResponse<String> response = post(side.messages(room), text);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String multiRoomId = response.headers().firstValue("Multi-Room-Event-Id").orElseThrow();
    return new Posted(response.body().trim(), multiRoomId);
  }

  private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(WAIT)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static List<ReceivedEvent> poll(HttpSseClient client, int count) throws Exception {
    List<ReceivedEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).as("event %d of %d, after %s", i + 1, count, events).isNotNull();
      events.add(event);
    }
    return events;
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aStreamOfSeveralRoomsCarriesEveryListedRoomNamedAfterItWithTheDataAsPosted(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient both = subscribe(side, null, "red", "blue");
    HttpSseClient redAlone = subscribe(side, null, "red");

    Posted first = publish(Side.SERVLET, "red", "one\r\ntwo\rthree");
    Posted second = publish(Side.JAXRS, "blue", "Grüße, 世界 😀\n");
    publish(side, "green", "not listed");
    Posted third = publish(side, "red", "");

    assertThat(poll(both, 3))
        .containsExactly(
            new ReceivedEvent("red", "one\ntwo\nthree", first.multiRoomId()),
            new ReceivedEvent("blue", "Grüße, 世界 😀\n", second.multiRoomId()),
            new ReceivedEvent("red", "", third.multiRoomId()));
    assertThat(poll(redAlone, 2))
        .containsExactly(
            new ReceivedEvent("message", "one\ntwo\nthree", first.id()),
            new ReceivedEvent("message", "", third.id()));
    assertThat(first.multiRoomId()).isNotEqualTo(first.id());
    assertThat(both.drain()).isEmpty();
    assertThat(redAlone.drain()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aStreamOfOneRoomIsByteForByteTheStreamOfBeforeAndSeveralRoomsAddTheEventName(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    RawSseClient one = raw(side.events("red"));
    RawSseClient named = raw(side.events("red", "red"));
    RawSseClient several = raw(side.events("red", "blue"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                server.hub().subscriberCount("red") == 2
                    && server.hub().subscriberCount(ChatRooms.multiRoomTopic("red")) == 1);

    Posted hello = publish(side, "red", "hello");
    Posted lines = publish(side.other(), "red", "a\nb");

    String oneRoom =
        "id: " + hello.id() + "\ndata: hello\n\nid: " + lines.id() + "\ndata: a\ndata: b\n\n";
    for (RawSseClient client : List.of(one, named)) {
      assertThat(client.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
      await().atMost(WAIT).until(() -> client.body().length() >= oneRoom.length());
      assertThat(client.body()).isEqualTo(oneRoom);
    }
    String severalRooms =
        "id: "
            + hello.multiRoomId()
            + "\nevent: red\ndata: hello\n\nid: "
            + lines.multiRoomId()
            + "\nevent: red\ndata: a\ndata: b\n\n";
    await().atMost(WAIT).until(() -> several.body().length() >= severalRooms.length());
    assertThat(several.body()).isEqualTo(severalRooms);
  }

  private RawSseClient raw(String target) throws Exception {
    RawSseClient client =
        RawSseClient.get(server.port(), target, Map.of("Accept", "text/event-stream"));
    clients.add(client);
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(200);
    return client;
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void oneLastEventIdResumesEveryRoomOfTheStreamExactlyWhicheverPathItReconnectsTo(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient before = subscribe(side, null, "red", "blue");
    Posted red1 = publish(side, "red", "red 1");
    Posted blue1 = publish(side, "blue", "blue 1");
    assertThat(poll(before, 2))
        .extracting(ReceivedEvent::lastEventId)
        .containsExactly(red1.multiRoomId(), blue1.multiRoomId());

    HttpResponse<String> dropped = send("POST", "/admin/drop?room=blue");
    assertThat(dropped.body()).isEqualTo("dropped 1 streams of blue\n");
    before.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Posted red2 = publish(Side.SERVLET, "red", "red 2");
    Posted blue2 = publish(Side.JAXRS, "blue", "blue 2");
    Posted red3 = publish(Side.JAXRS, "red", "red 3");
    HttpSseClient resumed = subscribe(side.other(), blue1.multiRoomId(), "red", "blue");
    Posted blue3 = publish(Side.SERVLET, "blue", "blue 3 (live)");

    assertThat(poll(resumed, 4))
        .containsExactly(
            new ReceivedEvent("red", "red 2", red2.multiRoomId()),
            new ReceivedEvent("blue", "blue 2", blue2.multiRoomId()),
            new ReceivedEvent("red", "red 3", red3.multiRoomId()),
            new ReceivedEvent("blue", "blue 3 (live)", blue3.multiRoomId()));
    assertThat(resumed.drain()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void moreThan16RoomsOrABadRoomAmongThemIs400WithAReasonAndTouchesNoOtherStream(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient bystander = subscribe(side, null, "red", "blue");
    String[] sixteen = IntStream.rangeClosed(1, 16).mapToObj(i -> "r" + i).toArray(String[]::new);
    String[] seventeen = IntStream.rangeClosed(1, 17).mapToObj(i -> "r" + i).toArray(String[]::new);
    String[] sixteenNamedTwice =
        Stream.concat(Stream.of(sixteen), Stream.of(sixteen)).toArray(String[]::new);

    Map<String, String> refused =
        Map.of(
            side.events(seventeen),
            "rooms must be at most 16 per stream: 17\n",
            side.events("red", "a.b", "blue"),
            "room must be 1-64 chars of [A-Za-z0-9_-]: a.b\n",
            side.events("red", "r".repeat(65)),
            "room must be 1-64 chars of [A-Za-z0-9_-]: " + "r".repeat(65) + "\n",
            side.events("red", "a%0Db"),
            "room must be 1-64 chars of [A-Za-z0-9_-]: a\\x0db\n",
            side.base + "/events?room=red&room=",
            "room must be 1-64 chars of [A-Za-z0-9_-]: \n");
    for (Map.Entry<String, String> request : refused.entrySet()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri(request.getKey()))
                  .header("Accept", "text/event-stream")
                  .timeout(WAIT)
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(response.body()).as(request.getKey()).isEqualTo(request.getValue());
    }
    for (String[] rooms : List.of(sixteen, sixteenNamedTwice)) {
      HttpSseClient accepted = stream(side.events(rooms), null);
      assertThat(accepted.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    }
    Posted after = publish(side, "blue", "still here");
    assertThat(bystander.poll(WAIT))
        .isEqualTo(new ReceivedEvent("blue", "still here", after.multiRoomId()));
    assertThat(bystander.ended()).isNotDone();
  }

  @ParameterizedTest
  @MethodSource("serversAndSides")
  void aClosedRoomEndsItsOwnStreamsWhileStreamsOfSeveralRoomsGoOnWithoutIt(
      ServerKind kind, Side side) throws Exception {
    start(kind);
    HttpSseClient redAlone = subscribe(side, null, "red");
    HttpSseClient redAndBlue = subscribe(side, null, "red", "blue");
    Posted last = publish(side, "red", "last words");

    assertThat(send("DELETE", "/chat/rooms/red").statusCode()).isEqualTo(204);

    assertThat(redAlone.poll(WAIT))
        .isEqualTo(new ReceivedEvent("message", "last words", last.id()));
    redAlone.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(redAndBlue.poll(WAIT))
        .isEqualTo(new ReceivedEvent("red", "last words", last.multiRoomId()));
    HttpResponse<String> tooLate = post(side.messages("red"), "too late");
    assertThat(tooLate.statusCode()).isEqualTo(410);
    assertThat(tooLate.body()).isEqualTo("room closed: red\n");
    Posted blue = publish(side, "blue", "blue goes on");
    assertThat(redAndBlue.poll(WAIT))
        .isEqualTo(new ReceivedEvent("blue", "blue goes on", blue.multiRoomId()));
    assertThat(redAndBlue.ended()).isNotDone();

    // A later request naming the closed room among open ones gets a stream of the open ones.
    HttpSseClient later = stream(side.events("red", "blue"), null);
    assertThat(later.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(() -> server.hub().subscriberCount(ChatRooms.multiRoomTopic("blue")) == 2);
    Posted blue2 = publish(side.other(), "blue", "for both");
    for (HttpSseClient client : List.of(redAndBlue, later)) {
      assertThat(client.poll(WAIT))
          .isEqualTo(new ReceivedEvent("blue", "for both", blue2.multiRoomId()));
    }
    // Only a request whose rooms are all closed gets 204: for one room and for several.
    assertThat(send("DELETE", "/chat/rooms/green").statusCode()).isEqualTo(204);
    for (String[] rooms : List.of(new String[] {"red"}, new String[] {"red", "green"})) {
      HttpSseClient refused = stream(side.events(rooms), null);
      assertThat(refused.awaitHeaders(WAIT).statusCode())
          .as(List.of(rooms).toString())
          .isEqualTo(204);
    }
    // Closing the last open room ends the streams of several rooms too.
    assertThat(send("DELETE", "/chat/rooms/blue").statusCode()).isEqualTo(204);
    for (HttpSseClient client : List.of(redAndBlue, later)) {
      client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    HttpSseClient allClosed = stream(side.events("red", "blue"), blue2.multiRoomId());
    assertThat(allClosed.awaitHeaders(WAIT).statusCode()).isEqualTo(204);
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void concurrentPostsReachStreamsOfOneRoomAndOfSeveralRoomsInOneOrder(ServerKind kind)
      throws Exception {
    start(kind);
    HttpSseClient redAlone = subscribe(Side.SERVLET, null, "red");
    HttpSseClient several = subscribe(Side.JAXRS, null, "red", "blue");
    int posters = 8;
    int postsEach = 20;
    ExecutorService pool = Executors.newFixedThreadPool(posters);
    List<Future<List<Posted>>> results = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int p = 0; p < posters; p++) {
        int poster = p;
        results.add(
            pool.submit(
                () -> {
                  assertThat(go.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                  List<Posted> posted = new ArrayList<>();
                  for (int i = 0; i < postsEach; i++) {
                    Side side = Side.values()[(poster + i) % 2];
                    posted.add(publish(side, "red", poster + "/" + i));
                  }
                  return posted;
                }));
      }
      go.countDown();
      List<Posted> posted = new ArrayList<>();
      for (Future<List<Posted>> result : results) {
        posted.addAll(result.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS));
      }

      int total = posters * postsEach;
      List<ReceivedEvent> alone = poll(redAlone, total);
      List<ReceivedEvent> mixed = poll(several, total);
      assertThat(alone).extracting(ReceivedEvent::data).doesNotHaveDuplicates();
      // One order for the room on both kinds of stream, and the ids the posts were answered.
      assertThat(mixed)
          .extracting(ReceivedEvent::data)
          .containsExactlyElementsOf(alone.stream().map(ReceivedEvent::data).toList());
      Map<String, Posted> byId = posted.stream().collect(Collectors.toMap(Posted::id, p -> p));
      for (int i = 0; i < total; i++) {
        Posted answer = byId.get(alone.get(i).lastEventId());
        assertThat(answer).as(alone.get(i).toString()).isNotNull();
        assertThat(mixed.get(i).lastEventId()).isEqualTo(answer.multiRoomId());
      }
      // Each poster's messages in the order it posted them.
      for (int p = 0; p < posters; p++) {
        String prefix = p + "/";
        List<String> own =
            alone.stream().map(ReceivedEvent::data).filter(d -> d.startsWith(prefix)).toList();
        List<String> expected = IntStream.range(0, postsEach).mapToObj(i -> prefix + i).toList();
        assertThat(own).isEqualTo(expected);
      }
      assertThat(redAlone.drain()).isEmpty();
      assertThat(several.drain()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
