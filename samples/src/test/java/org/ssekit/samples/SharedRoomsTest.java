package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.RedisServer;

/** Two demo servers started with {@code --redis} on one Redis share rooms, ids and replay. */
@ExtendWith(RedisServer.Required.class)
class SharedRoomsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newHttpClient();
  private RedisServer redis;
  private ChatServer a;
  private ChatServer b;
  private HttpSseClient onA;
  private HttpSseClient onB;

  @AfterEach
  void stopEverything() throws Exception {
    for (HttpSseClient client : new HttpSseClient[] {onA, onB}) {
      if (client != null) {
        client.close();
      }
    }
    for (ChatServer server : new ChatServer[] {a, b}) {
      if (server != null) {
        server.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aMessagePostedOnOneServerReachesTheOtherWithTheSameIdAndReplaysThere() throws Exception {
    redis = RedisServer.start();
    ChatOptions options = ChatOptions.defaults().withPort(0).withRedis(redis.uri());
    a = ChatServer.start(options);
    b = ChatServer.start(options.withServer(ServerKind.TOMCAT));

    onA = HttpSseClient.open(http, a.uri().resolve("/chat/events?room=shared"), null);
    onB = HttpSseClient.open(http, b.uri().resolve("/api/chat/events?room=shared"), null);
    assertThat(onA.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    assertThat(onB.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .until(
            () -> a.hub().subscriberCount("shared") == 1 && b.hub().subscriberCount("shared") == 1);

    String first = post(a, "from A");
    String second = post(b, "from B");
    for (HttpSseClient client : new HttpSseClient[] {onA, onB}) {
      ReceivedEvent one = client.poll(WAIT);
      ReceivedEvent two = client.poll(WAIT);
      assertThat(one.data()).isEqualTo("from A");
      assertThat(one.lastEventId()).isEqualTo(first);
      assertThat(two.data()).isEqualTo("from B");
      assertThat(two.lastEventId()).isEqualTo(second);
    }

    // A browser that reconnects to the other server resumes after the id it got from the first.
    try (HttpSseClient resumed =
        HttpSseClient.open(http, b.uri().resolve("/chat/events?room=shared"), first)) {
      ReceivedEvent missed = resumed.poll(WAIT);
      assertThat(missed.data()).isEqualTo("from B");
      assertThat(missed.lastEventId()).isEqualTo(second);
    }
  }

  @Test
  void aStreamOfSeveralRoomsGetsThePostsOfTheOtherServerAndResumesThereAfterAClosedRoom()
      throws Exception {
    redis = RedisServer.start();
    ChatOptions options = ChatOptions.defaults().withPort(0).withRedis(redis.uri());
    a = ChatServer.start(options);
    b = ChatServer.start(options.withServer(ServerKind.TOMCAT));
    onA = HttpSseClient.open(http, a.uri().resolve("/chat/events?room=red&room=blue"), null);
    assertThat(onA.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> a.hub().subscriberCount("rooms/blue") == 1);

    String red1 = postForMultiRoomId(b, "/chat/messages?room=red", "red from B");
    String blue1 = postForMultiRoomId(b, "/api/chat/messages?room=blue", "blue from B");
    String red2 = postForMultiRoomId(a, "/chat/messages?room=red", "red from A");
    assertThat(List.of(onA.poll(WAIT), onA.poll(WAIT), onA.poll(WAIT)))
        .containsExactly(
            new ReceivedEvent("red", "red from B", red1),
            new ReceivedEvent("blue", "blue from B", blue1),
            new ReceivedEvent("red", "red from A", red2));

    // Closed on B: A's stream goes on with blue alone.
    assertThat(
            http.send(
                    HttpRequest.newBuilder(b.uri().resolve("/chat/rooms/red"))
                        .DELETE()
                        .timeout(WAIT)
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .isEqualTo(204);
    String blue2 = postForMultiRoomId(a, "/chat/messages?room=blue", "blue after red closed");
    assertThat(onA.poll(WAIT)).isEqualTo(new ReceivedEvent("blue", "blue after red closed", blue2));
    assertThat(onA.ended()).isNotDone();

    // A browser that reconnects to B with the id it got from A gets exactly what it missed there.
    try (HttpSseClient resumed =
        HttpSseClient.open(http, b.uri().resolve("/api/chat/events?room=red&room=blue"), blue1)) {
      assertThat(resumed.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
      assertThat(resumed.poll(WAIT))
          .isEqualTo(new ReceivedEvent("blue", "blue after red closed", blue2));
      assertThat(resumed.drain()).isEmpty();
    }
  }

  private String post(ChatServer server, String text) throws Exception {
    HttpResponse<String> response = send(server, "/chat/messages?room=shared", text);
    return response.body().strip();
  }

  /** Posts and returns the id that streams of several rooms see for the message. */
  private String postForMultiRoomId(ChatServer server, String path, String text) throws Exception {
    return send(server, path, text).headers().firstValue("Multi-Room-Event-Id").orElseThrow();
  }

  private HttpResponse<String> send(ChatServer server, String path, String text) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve(URI.create(path)))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .timeout(WAIT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response;
  }
}
