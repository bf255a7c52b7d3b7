package org.ssekit.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/** The chat over real HTTP on an ephemeral port: post, receive, resume, meters and health. */
@SpringBootTest(
    classes = ChatApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // A client that vanished is noticed at the next write: keep-alives make that soon.
    properties = "ssekit.keep-alive=200ms")
class ChatApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @LocalServerPort int port;
  @Autowired SseHub hub;

  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void noStreamIsLeftOpen() {
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(hub.stats().subscribers()).isZero());
  }

  @Test
  void aPostedMessageReachesTheStreamsOfItsRoomAndOnlyThem() throws Exception {
    try (RawSseClient lobby = open("/chat/events?room=lobby", Map.of());
        RawSseClient other = open("/chat/events?room=elsewhere", Map.of())) {
      String id = post("lobby", "hello\nworld");

      ReceivedEvent event = lobby.poll(WAIT);
      assertThat(event).isEqualTo(new ReceivedEvent("lobby", "hello\nworld", id));
      assertThat(other.poll(Duration.ofMillis(300))).as("a stream of another room").isNull();
    }
  }

  @Test
  void oneStreamOfSeveralRoomsGetsEachRoomsMessagesNamedByTheirRoom() throws Exception {
    try (RawSseClient both = open("/chat/events?room=red&room=blue&room=red", Map.of())) {
      String first = post("red", "to red");
      String second = post("blue", "to blue");

      assertThat(both.poll(WAIT)).isEqualTo(new ReceivedEvent("red", "to red", first));
      assertThat(both.poll(WAIT)).isEqualTo(new ReceivedEvent("blue", "to blue", second));
    }
  }

  @Test
  void aStreamResumedWithLastEventIdGetsWhatItMissedThenLiveMessages() throws Exception {
    String seen = post("resumed", "one");
    String missed = post("resumed", "two");

    try (RawSseClient resumed = open("/chat/events?room=resumed", Map.of("Last-Event-ID", seen))) {
      assertThat(resumed.poll(WAIT)).isEqualTo(new ReceivedEvent("resumed", "two", missed));
      String live = post("resumed", "three");
      assertThat(resumed.poll(WAIT)).isEqualTo(new ReceivedEvent("resumed", "three", live));
    }
  }

  @Test
  void theHubsMetersAndHealthAreOnTheActuator() throws Exception {
    try (RawSseClient watched = open("/chat/events?room=metered", Map.of())) {
      post("metered", "counted");
      assertThat(watched.poll(WAIT)).isNotNull();

      HttpResponse<String> open = get("/actuator/metrics/ssekit.streams.open?tag=hub:chat");
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.body()).contains("\"name\":\"ssekit.streams.open\"");
      assertThat(measurement(open.body())).isGreaterThanOrEqualTo(1.0);
    }
    HttpResponse<String> published = get("/actuator/metrics/ssekit.events.published");
    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(measurement(published.body())).isGreaterThanOrEqualTo(1.0);

    HttpResponse<String> health = get("/actuator/health/ssekit");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"hub\":\"chat\"");
  }

  @Test
  void badInputIsAnsweredWithAPlainTextReason() throws Exception {
    HttpResponse<String> noRoom = get("/chat/events");
    assertThat(noRoom.statusCode()).isEqualTo(400);
    assertThat(noRoom.body()).isEqualTo("room is missing: name one or more with ?room=R");

    HttpResponse<String> badRoom = get("/chat/events?room=a%20b");
    assertThat(badRoom.statusCode()).isEqualTo(400);
    assertThat(badRoom.body()).isEqualTo("room must be 1-64 characters of [A-Za-z0-9_-]: \"a b\"");

    StringBuilder tooMany = new StringBuilder("/chat/events?room=r0");
    for (int i = 1; i <= ChatController.MAX_ROOMS_PER_STREAM; i++) {
      tooMany.append("&room=r").append(i);
    }
    HttpResponse<String> many = get(tooMany.toString());
    assertThat(many.statusCode()).isEqualTo(400);
    assertThat(many.body()).isEqualTo("rooms must be at most 16 per stream: 17");
    assertThat(many.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));

    HttpResponse<String> empty = postRaw("lobby", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).startsWith("message must be 1-65536 bytes");
  }

  /** Opens a stream and waits until the hub has admitted it, so that no post can precede it. */
  private RawSseClient open(String target, Map<String, String> headers) throws Exception {
    long opened = hub.stats().streamsOpened();
    RawSseClient client = RawSseClient.get(port, target, headers);
    assertThat(client.awaitHeaders(WAIT)).as("headers of " + target).isTrue();
    assertThat(client.status()).isEqualTo(200);
    Awaitility.await().atMost(WAIT).until(() -> hub.stats().streamsOpened() > opened);
    return client;
  }

  /** Posts {@code text} to {@code room}, asserts {@code 202}, and returns the event's id. */
  private String post(String room, String text) throws Exception {
    HttpResponse<String> response = postRaw(room, text);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(response.body()).isNotBlank();
    return response.body();
  }

  private HttpResponse<String> postRaw(String room, String text) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/chat/messages?room=" + room))
            .header("Content-Type", "text/plain; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .timeout(WAIT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String target) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(target)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String target) {
    return URI.create("http://127.0.0.1:" + port + target);
  }

  /** Returns the first measurement's value of an actuator metrics answer. */
  private static double measurement(String body) {
    int at = body.indexOf("\"value\":");
    assertThat(at).as("a measurement in " + body).isNotNegative();
    int end = at + "\"value\":".length();
    int stop = end;
    while (stop < body.length() && "0123456789.E-".indexOf(body.charAt(stop)) >= 0) {
      stop++;
    }
    return Double.parseDouble(body.substring(end, stop));
  }
}
