package org.ssekit.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.samples.boot.ChatHttp.WAIT;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * The samples chat's room API on Spring Boot, over real HTTP on an ephemeral port: the samples
 * demo's streams of one and of several rooms, posts, resumption, closing, bad input, the page and
 * the meters on {@code /actuator/prometheus}.
 */
@AutoConfigureObservability // Boot's tests leave metrics out otherwise: /actuator/prometheus
@SpringBootTest(
    classes = ChatApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // A client that vanished is noticed at the next write: keep-alives make that soon.
    properties = "ssekit.keep-alive=200ms")
class ChatApiTest {
  @LocalServerPort int port;
  @Autowired SseHub hub;

  private ChatHttp anyone;

  @BeforeEach
  void client() {
    anyone = new ChatHttp(port, hub);
  }

  @AfterEach
  void noStreamIsLeftOpen() {
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(hub.stats().subscribers()).isZero());
  }

  @Test
  void aStreamOfOneRoomGetsItsMessagesUnnamedAndNoOtherRooms() throws Exception {
    try (RawSseClient lobby = anyone.open("/chat/events?room=lobby");
        RawSseClient other = anyone.open("/chat/events?room=elsewhere")) {
      HttpResponse<String> posted = anyone.say("lobby", "hello\nworld");

      assertThat(posted.body()).endsWith("\n");
      assertThat(posted.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
      assertThat(lobby.poll(WAIT))
          .isEqualTo(new ReceivedEvent("message", "hello\nworld", posted.body().strip()));
      assertThat(other.poll(Duration.ofMillis(300))).as("a stream of another room").isNull();
    }
  }

  @Test
  void oneStreamOfSeveralRoomsGetsEachRoomsMessagesNamedWithTheMultiRoomIds() throws Exception {
    try (RawSseClient both = anyone.open("/chat/events?room=red&room=blue&room=red");
        RawSseClient viaApi = anyone.open("/api/chat/events?room=red&room=blue")) {
      HttpResponse<String> red = anyone.say("red", "to red");
      HttpResponse<String> blue = anyone.say("blue", "to blue");
      String redId = red.headers().firstValue("Multi-Room-Event-Id").orElseThrow();
      String blueId = blue.headers().firstValue("Multi-Room-Event-Id").orElseThrow();

      for (RawSseClient stream : new RawSseClient[] {both, viaApi}) {
        assertThat(stream.poll(WAIT)).isEqualTo(new ReceivedEvent("red", "to red", redId));
        assertThat(stream.poll(WAIT)).isEqualTo(new ReceivedEvent("blue", "to blue", blueId));
      }
      assertThat(hub.stats().subscribers()).as("one subscription per stream").isEqualTo(2);
    }
  }

  @Test
  void aStreamResumedWithLastEventIdGetsWhatItMissedThenLiveMessages() throws Exception {
    String seen = anyone.say("resumed", "one").body().strip();
    String missed = anyone.say("resumed", "two").body().strip();

    try (RawSseClient resumed =
        anyone.open("/chat/events?room=resumed", Map.of("Last-Event-ID", seen))) {
      assertThat(resumed.poll(WAIT)).isEqualTo(new ReceivedEvent("message", "two", missed));
      String live = anyone.say("resumed", "three").body().strip();
      assertThat(resumed.poll(WAIT)).isEqualTo(new ReceivedEvent("message", "three", live));
    }
  }

  @Test
  void aClosedRoomEndsItsStreamsAndRefusesLaterPosts() throws Exception {
    try (RawSseClient closing = anyone.open("/chat/events?room=closing")) {
      HttpResponse<String> closed = anyone.delete("/chat/rooms/closing", Map.of());
      assertThat(closed.statusCode()).isEqualTo(204);
      assertThat(closing.awaitEnd(WAIT)).isTrue();
    }
    HttpResponse<String> late = anyone.post("/chat/messages?room=closing", "late");
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(late.body()).isEqualTo("room closed: closing\n");
    assertThat(anyone.refused("/chat/events?room=closing").status()).isEqualTo(204);
  }

  @Test
  void badInputIsAnsweredWithTheSamplesStatusAndPlainTextReason() throws Exception {
    assertRefused(anyone.get("/chat/events"), 400, "missing query parameter: room");
    assertRefused(
        anyone.get("/chat/events?room=a%20b"),
        400,
        "room must be 1-64 chars of [A-Za-z0-9_-]: a b");
    StringBuilder tooMany = new StringBuilder("/chat/events?room=r0");
    for (int i = 1; i <= 16; i++) {
      tooMany.append("&room=r").append(i);
    }
    assertRefused(anyone.get(tooMany.toString()), 400, "rooms must be at most 16 per stream: 17");
    assertRefused(anyone.get("/chat/events?room=x&presence=2"), 400, "presence must be 0 or 1: 2");
    assertRefused(
        anyone.get("/chat/events?room=presence&presence=1"),
        400,
        "room presence cannot share a stream with presence events: its events are named presence"
            + " too");
    assertRefused(
        anyone.post("/chat/messages?room=lobby", "x".repeat(64 * 1024 + 1)),
        413,
        "message larger than 65536 bytes");
    assertRefused(
        anyone.post("/chat/messages?room=lobby", "hi", Map.of("Content-Type", "application/json")),
        415,
        "content type must be text/plain: application/json");
    assertRefused(
        anyone.get("/chat/rooms/a%20b/members"),
        400,
        "room must be 1-64 chars of [A-Za-z0-9_-]: a b");
  }

  @Test
  void thePageIsTheSamplesPage() throws Exception {
    HttpResponse<String> page = anyone.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
    assertThat(page.body()).contains("<title>ssekit chat</title>", "<script src=\"/app.js\"");
    for (String file : new String[] {"/app.js", "/app.css", "/favicon.svg"}) {
      String served = anyone.get(file).body();
      try (var in = getClass().getResourceAsStream("/" + ChatPage.PAGE + file.substring(1))) {
        assertThat(served).as(file).isEqualTo(new String(in.readAllBytes(), "UTF-8"));
      }
    }
  }

  @Test
  void prometheusListsTheHubsMeters() throws Exception {
    try (RawSseClient watched = anyone.open("/chat/events?room=metered")) {
      anyone.say("metered", "counted");
      assertThat(watched.poll(WAIT)).isNotNull();

      HttpResponse<String> scrape = anyone.get("/actuator/prometheus");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains(
              "ssekit_streams_open_streams{hub=\"chat\"} 1.0",
              "ssekit_events_published_events_total{hub=\"chat\"} ",
              "ssekit_events_delivered_events_total{hub=\"chat\"} ",
              "ssekit_streams_closed_streams_total{hub=\"chat\",reason=\"client_gone\"} ",
              "ssekit_streams_opened_streams_total{hub=\"chat\"} ",
              "ssekit_keepalives_comments_total{hub=\"chat\"} ",
              "ssekit_delivery_latency_seconds_count{hub=\"chat\"} ");
    }
    HttpResponse<String> health = anyone.get("/actuator/health/ssekit");
    assertThat(health.body()).contains("\"status\":\"UP\"", "\"hub\":\"chat\"");
  }

  static void assertRefused(HttpResponse<String> answer, int status, String reason) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).isEqualTo(reason + "\n");
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
  }
}
