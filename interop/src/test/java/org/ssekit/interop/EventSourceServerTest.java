package org.ssekit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.ServerSentEvent;
import org.ssekit.client.EventIterator;
import org.ssekit.client.EventSource;
import org.ssekit.client.ReconnectPolicy;

/**
 * sse-client's {@link EventSource} against real ssekit servers, beyond the matrix's scenarios: a
 * connection cut by the network (not ended by the server) resumes exactly, a closed topic's {@code
 * 204} stops the source for good, and a passing refusal's {@code retry:} is followed exactly. Runs
 * on every server path of {@link ServerPaths} (sse-servlet on Jetty and Tomcat, sse-jaxrs on
 * Jersey). sse-client cannot hold these tests itself: its tests must not depend on the servers,
 * whose own tests read streams with its parser.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ServerPaths.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSourceServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ReconnectPolicy QUICK =
      ReconnectPolicy.builder().reconnectionTime(Duration.ofMillis(100)).build();

  @Parameter private ServerPaths paths;

  private ServerPath path;
  private URI base;
  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeParameterizedClassInvocation(injectArguments = false)
  void start() throws Exception {
    path = paths.create();
    base = path.start();
  }

  @AfterEach
  void closeResources() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
  }

  @AfterParameterizedClassInvocation(injectArguments = false)
  void stop() throws Exception {
    try {
      Awaitility.await("subscribers of " + path.id() + " after every source closed")
          .atMost(Duration.ofSeconds(5))
          .until(() -> path.hub().stats().subscribers() == 0);
    } finally {
      path.close();
    }
  }

  @Test
  void connectionCutByTheNetworkResumesExactlyWithLastEventId() throws Exception {
    String topic = "client.cut";
    DroppingProxy proxy = new DroppingProxy(base.getPort());
    resources.add(proxy);
    URI uri = URI.create("http://127.0.0.1:" + proxy.port()).resolve(Endpoint.STREAM.path(topic));
    ClientConnection client = open(EventSource.builder(uri).reconnectPolicy(QUICK), topic);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(publish(topic, "before " + i));
    }
    assertThat(client.awaitEvents(5, TIMEOUT)).isTrue();
    proxy.dropAll();
    assertThat(
            client.await(
                all -> all.stream().anyMatch(o -> o.kind() == Observation.Kind.ERROR), TIMEOUT))
        .isTrue();
    // Published while the client is away (or just back): replayed after its Last-Event-ID.
    for (int i = 0; i < 5; i++) {
      ids.add(publish(topic, "during " + i));
    }
    assertThat(client.awaitEvents(10, TIMEOUT)).isTrue();
    ids.add(publish(topic, "live"));
    assertThat(client.awaitEvents(11, TIMEOUT)).isTrue();

    List<Observation> expected = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      String data = i < 5 ? "before " + i : i < 10 ? "during " + (i - 5) : "live";
      expected.add(Observation.event("message", data, ids.get(i)));
    }
    assertThat(client.events()).containsExactlyElementsOf(expected);
    assertThat(lastEventIdsReceived(topic)).containsExactly(null, ids.get(4));
    assertThat(client.readyState()).isEqualTo(ReadyState.OPEN);
  }

  @Test
  void closedTopicAnswersTheReconnectWith204AndTheSourceStopsForGood() throws Exception {
    String topic = "client.closed";
    ClientConnection client =
        open(EventSource.builder(stream(topic)).reconnectPolicy(QUICK), topic);
    String id = publish(topic, "before the close");
    assertThat(client.awaitEvents(1, TIMEOUT)).isTrue();

    path.hub().closeTopic(topic).toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(client.await(all -> isClosed(all.get(all.size() - 1)), TIMEOUT)).isTrue();
    assertThat(client.readyState()).isEqualTo(ReadyState.CLOSED);
    assertThat(path.requests().awaitRequests(topic, 3, ScenarioRun.NO_RECONNECT_WINDOW))
        .as("a request after the 204")
        .isFalse();
    assertThat(lastEventIdsReceived(topic)).containsExactly(null, id);
    // The stream's end is reported (the source reconnects), the 204 only as the close.
    List<Observation> observed = client.observations();
    assertThat(observed.get(observed.size() - 2).detail()).contains("ended by the server");
  }

  @Test
  void passingRefusalWithRetryIsFollowedExactlyAndResumes() throws Exception {
    String topic = "client.refused";
    ClientConnection client =
        open(EventSource.builder(stream(topic)).reconnectPolicy(QUICK), topic);
    String before = publish(topic, "before the outage");
    assertThat(client.awaitEvents(1, TIMEOUT)).isTrue();

    TopicOutages.down(topic, true);
    try {
      path.hub().disconnectAll(topic);
      assertThat(TopicOutages.awaitRefusals(topic, 1, TIMEOUT)).isTrue();
    } finally {
      TopicOutages.down(topic, false);
    }
    String during = publish(topic, "published during the outage");
    assertThat(client.awaitEvents(2, TIMEOUT)).isTrue();

    assertThat(client.events())
        .containsExactly(
            Observation.event("message", "before the outage", before),
            Observation.event("message", "published during the outage", during));
    assertThat(lastEventIdsReceived(topic)).containsExactly(null, before, before);
    // The refusal's retry: is at least ServerPath.RETRY_AFTER; the source's own 100 ms is not used.
    List<RequestLog.Request> requests = path.requests().requests(topic);
    long delayMillis =
        TimeUnit.NANOSECONDS.toMillis(
            requests.get(2).receivedNanos() - requests.get(1).receivedNanos());
    assertThat(delayMillis).isGreaterThanOrEqualTo(ServerPath.RETRY_AFTER.toMillis());
  }

  @Test
  void iteratorReadsALiveStream() throws Exception {
    String topic = "client.iterator";
    try (EventIterator events = EventSource.builder(stream(topic)).iterator()) {
      awaitSubscribed(topic);
      String id = publish(topic, "{\"token\":\"hi\"}");
      assertThat(events.next().data()).isEqualTo("{\"token\":\"hi\"}");
      assertThat(events.source().lastEventId()).isEqualTo(id);
    }
  }

  private URI stream(String topic) {
    return base.resolve(Endpoint.STREAM.path(topic));
  }

  /** Opens a source and waits until it is subscribed, so that what is published next is live. */
  private ClientConnection open(EventSource.Builder builder, String topic) {
    ClientConnection client = SsekitEventSourceClient.connect(builder);
    resources.add(client);
    awaitSubscribed(topic);
    return client;
  }

  private void awaitSubscribed(String topic) {
    Awaitility.await("subscriber of " + topic)
        .atMost(TIMEOUT)
        .until(() -> path.hub().subscriberCount(topic) > 0);
  }

  private String publish(String topic, String data) throws Exception {
    return path.hub()
        .publish(topic, ServerSentEvent.of(data))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private List<String> lastEventIdsReceived(String topic) {
    List<String> ids = new ArrayList<>();
    for (RequestLog.Request request : path.requests().requests(topic)) {
      ids.add(request.lastEventId());
    }
    return ids;
  }

  private static boolean isClosed(Observation observation) {
    return observation.kind() == Observation.Kind.ERROR && observation.detail().equals("onClosed");
  }
}
