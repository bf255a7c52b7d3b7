package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;

/**
 * Two embedded Jetty servers, each an ssekit node on one Redis, and a browser-like client over
 * HTTP: it reconnects to the other server with the {@code Last-Event-ID} the first one gave it.
 */
class TwoServletNodesTest extends SharedRedisTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final List<TestContainer> servers = new ArrayList<>();
  private final List<HttpSseClient> clients = new ArrayList<>();

  @Override
  void beforeClosingNodes() {
    for (HttpSseClient client : clients) {
      client.close();
    }
  }

  @Override
  void afterClosingNodes() throws Exception {
    // Closing the nodes ended the streams, so that the servers stop at once.
    for (TestContainer server : servers) {
      server.close();
    }
  }

  /** Streams the topic named by the {@code topic} query parameter. */
  static final class TopicServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    TopicServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      return Admission.accept(request.getParameter("topic"));
    }
  }

  @Test
  void clientReconnectingToTheOtherServerWithItsLastEventIdReceivesExactlyWhatItMissed()
      throws Exception {
    SseHub hubA = nodes.node();
    SseHub hubB = nodes.node();
    int portA = serve(hubA);
    int portB = serve(hubB);

    HttpSseClient first = connect(portA, "room", null);
    assertThat(status(first)).isEqualTo(200);
    awaitSubscribers(hubA, "room", 1);
    hubA.publish("room", ServerSentEvent.of("e1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hubB.publish("room", ServerSentEvent.of("e2")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    ReceivedEvent e1 = next(first);
    ReceivedEvent e2 = next(first);
    assertThat(List.of(e1.data(), e2.data())).containsExactly("e1", "e2");
    first.close(); // the connection drops, as when a load balancer moves the client
    hubB.publish("room", ServerSentEvent.of("e3")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hubA.publish("room", ServerSentEvent.of("e4")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    HttpSseClient again = connect(portB, "room", e2.lastEventId());
    hubA.publish("room", ServerSentEvent.of("e5")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(status(again)).isEqualTo(200);
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(next(again).data());
    }
    assertThat(received).containsExactly("e3", "e4", "e5");
    assertThat(again.poll(Duration.ofMillis(200))).as("nothing more").isNull();
  }

  @Test
  void topicClosedOnOneServerAnswers204OnTheOther() throws Exception {
    SseHub hubA = nodes.node();
    SseHub hubB = nodes.node();
    serve(hubA);
    int portB = serve(hubB);
    HttpSseClient listening = connect(portB, "poll", null);
    awaitSubscribers(hubB, "poll", 1);

    hubA.closeTopic("poll").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(awaitEnd(listening)).as("the stream on the other server ended").isTrue();
    HttpSseClient late = connect(portB, "poll", null);
    assertThat(status(late)).isEqualTo(204);
  }

  private int serve(SseHub hub) throws Exception {
    TestContainer server =
        new JettyEe11Container(
            ContainerSettings.DEFAULTS
                .withThreads("jetty-" + hub.config().name(), 16)
                .withoutH2c());
    servers.add(server);
    server.servlet("/events", new TopicServlet(hub));
    return server.start();
  }

  private static void awaitSubscribers(SseHub hub, String topic, int count) {
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> hub.subscriberCount(topic) == count);
  }

  private HttpSseClient connect(int port, String topic, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events?topic=" + topic))
            .header("Accept", "text/event-stream")
            .timeout(TIMEOUT);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpSseClient client = HttpSseClient.get(http, request.build());
    clients.add(client);
    client.awaitHeaders(TIMEOUT);
    return client;
  }

  private static int status(HttpSseClient client) throws Exception {
    return client.awaitHeaders(TIMEOUT).statusCode();
  }

  private static ReceivedEvent next(HttpSseClient client) throws InterruptedException {
    ReceivedEvent event = client.poll(TIMEOUT);
    assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
    return event;
  }

  /** Waits until the server ended the stream (or the connection); false if it did not in time. */
  private static boolean awaitEnd(HttpSseClient client) throws InterruptedException {
    try {
      client.ended().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException endedWithAnError) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }
}
