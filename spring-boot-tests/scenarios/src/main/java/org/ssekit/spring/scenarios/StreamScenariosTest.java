package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.ssekit.OverflowPolicy;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.testkit.RawSseClient;

/**
 * Streams served from Spring MVC handler methods that return an {@code SseStream}, over real HTTP:
 * headers at once, events, resumption, 204, the refusal answer, and no request thread held.
 */
@SpringBootTest(
    classes = ScenarioApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ssekit.name=scenarios",
      "ssekit.keep-alive=7s",
      "ssekit.stall-timeout=11s",
      "ssekit.max-queued-bytes=64KB",
      "ssekit.overflow-policy=drop-oldest",
      "ssekit.max-subscribers-per-topic=40",
      "ssekit.retry-after=2s",
      "ssekit.shutdown-timeout=1s",
      "ssekit.refusal-answer=retry-stream",
      "ssekit.retention.max-events=50",
      // Few request threads: streams hold none, so many streams still leave one for /ping.
      "server.tomcat.threads.max=4",
      "server.tomcat.threads.min-spare=1",
      "server.jetty.threads.max=16",
      "server.jetty.threads.min=4",
      // Graceful shutdown waits for active requests, 30 s by default: a test that failed with a
      // stream still open would add that to the run.
      "spring.lifecycle.timeout-per-shutdown-phase=3s"
    })
class StreamScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;
  @Autowired ServletStreams streams;

  @Test
  void servedByTheContainerOfThisRun() throws Exception {
    Scenarios.assertServedByExpectedContainer(context);
  }

  @Test
  void propertiesConfigureTheHubAndTheStreams() {
    SseHub.Config config = hub.config();
    assertThat(config.name()).isEqualTo("scenarios");
    assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.stallTimeout()).isEqualTo(Duration.ofSeconds(11));
    assertThat(config.maxQueuedBytes()).isEqualTo(64 * 1024);
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(config.maxSubscribersPerTopic()).isEqualTo(40);
    assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(streams.hub()).isSameAs(hub);
    assertThat(streams.refusalAnswer()).isEqualTo(RefusalAnswer.RETRY_STREAM);
  }

  @Test
  void streamOpensWithItsHeadersBeforeAnyEvent() throws Exception {
    try (RawSseClient client = RawSseClient.get(port(), "/news")) {
      assertThat(client.awaitHeaders(WAIT)).as("headers without any event").isTrue();
      assertThat(client.status()).isEqualTo(200);
      assertThat(client.header("content-type"))
          .isEqualToIgnoringCase("text/event-stream;charset=UTF-8");
      assertThat(client.header("cache-control")).isEqualTo("no-cache");
      assertThat(client.header("x-accel-buffering")).isEqualTo("no");
    }
  }

  @Test
  void publishedEventsArriveInOrder() throws Exception {
    try (RawSseClient client = RawSseClient.get(port(), "/rooms/arrive")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      awaitSubscribers("rooms/arrive", 1);
      hub.publish("rooms/arrive", ServerSentEvent.builder().event("greeting").data("one").build());
      hub.publish("rooms/arrive", ServerSentEvent.of("two\nlines"));
      ReceivedEvent first = client.poll(WAIT);
      ReceivedEvent second = client.poll(WAIT);
      assertThat(first).isNotNull();
      assertThat(first.type()).isEqualTo("greeting");
      assertThat(first.data()).isEqualTo("one");
      assertThat(second).isNotNull();
      assertThat(second.data()).isEqualTo("two\nlines");
    }
  }

  @Test
  void lastEventIdResumesAfterThatEvent() throws Exception {
    List<String> ids = new ArrayList<>();
    for (String data : List.of("a", "b", "c")) {
      ids.add(
          hub.publish("rooms/resume", ServerSentEvent.of(data))
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS));
    }
    try (RawSseClient client =
        RawSseClient.get(port(), "/rooms/resume", Map.of("Last-Event-ID", ids.get(0)))) {
      ReceivedEvent b = client.poll(WAIT);
      ReceivedEvent c = client.poll(WAIT);
      assertThat(b).isNotNull();
      assertThat(b.data()).isEqualTo("b");
      assertThat(b.lastEventId()).isEqualTo(ids.get(1));
      assertThat(c).isNotNull();
      assertThat(c.data()).isEqualTo("c");
      assertThat(client.poll(Duration.ofMillis(200))).as("nothing replayed twice").isNull();
    }
  }

  @Test
  void closedTopicEndsItsStreamsAndAnswers204() throws Exception {
    try (RawSseClient open = RawSseClient.get(port(), "/rooms/closing")) {
      assertThat(open.awaitHeaders(WAIT)).isTrue();
      awaitSubscribers("rooms/closing", 1);
      hub.closeTopic("rooms/closing").toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(open.awaitEnd(WAIT)).as("the open stream ends").isTrue();
    }
    try (RawSseClient later = RawSseClient.get(port(), "/rooms/closing")) {
      assertThat(later.awaitHeaders(WAIT)).isTrue();
      assertThat(later.status()).isEqualTo(204);
    }
  }

  @Test
  void clientOverTheTopicLimitGetsARetryAndTheEnd() throws Exception {
    List<RawSseClient> holders = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        holders.add(RawSseClient.get(port(), "/rooms/limited"));
      }
      for (RawSseClient holder : holders) {
        assertThat(holder.awaitHeaders(WAIT)).isTrue();
      }
      awaitSubscribers("rooms/limited", 40);
      try (RawSseClient refused = RawSseClient.get(port(), "/rooms/limited")) {
        boolean ended = refused.awaitEnd(WAIT);
        assertThat(ended)
            .as("the refusal ends: status %s, body %s", refused.status(), refused.body())
            .isTrue();
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.header("content-type")).startsWith("text/event-stream");
        Long retry = refused.pollRetry(WAIT);
        assertThat(retry).as("one jittered retry: around ssekit.retry-after (2 s)").isNotNull();
        assertThat(retry).isBetween(1_000L, 3_000L);
        assertThat(refused.poll(Duration.ZERO)).isNull();
      }
    } finally {
      holders.forEach(RawSseClient::close);
    }
  }

  @Test
  void openStreamsHoldNoRequestThread() throws Exception {
    // Tomcat has at most 4 request threads here and Jetty 16 (its selector and acceptor included).
    List<RawSseClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        held.add(RawSseClient.get(port(), "/rooms/held-" + i));
      }
      for (RawSseClient client : held) {
        assertThat(client.awaitHeaders(WAIT)).isTrue();
      }
      HttpResponse<String> ping =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/ping"))
                      .timeout(WAIT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ping.statusCode()).isEqualTo(200);
      assertThat(ping.body()).isEqualTo("{\"pong\":\"yes\"}");
    } finally {
      held.forEach(RawSseClient::close);
    }
  }

  @Test
  void selectionOfOneTopicIsServed() throws Exception {
    try (RawSseClient client = RawSseClient.get(port(), "/single-selection")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      awaitSubscribers("selected", 1);
      hub.publish("selected", ServerSentEvent.of("picked"));
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.data()).isEqualTo("picked");
    }
  }

  @Test
  void selectionOfATopicAndASelectorIsOneStream() throws Exception {
    try (RawSseClient client = RawSseClient.get(port(), "/selection")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      // Live once a probe arrives (the subscription registers around the headers).
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> {
                hub.publish("orders/1", ServerSentEvent.of("probe"));
                return client.poll(Duration.ofMillis(200)) != null;
              });
      hub.publish("orders/2", ServerSentEvent.of("not selected"));
      hub.publish("orders/1", ServerSentEvent.of("order"));
      hub.publish("rooms/lobby", ServerSentEvent.of("room"));
      assertThat(nextOtherThanProbe(client).data()).isEqualTo("order");
      assertThat(nextOtherThanProbe(client).data()).isEqualTo("room");
    }
  }

  private static ReceivedEvent nextOtherThanProbe(RawSseClient client) throws Exception {
    ReceivedEvent event = client.poll(WAIT);
    while (event != null && event.data().equals("probe")) {
      event = client.poll(WAIT);
    }
    assertThat(event).as("an event other than the probes").isNotNull();
    return event;
  }

  private int port() {
    return Scenarios.port(context);
  }

  private void awaitSubscribers(String topic, int count) {
    Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount(topic) == count);
  }
}
