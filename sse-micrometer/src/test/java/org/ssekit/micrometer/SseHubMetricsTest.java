package org.ssekit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ssekit.micrometer.JettyFixture.TIMEOUT;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.CloseReason;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * The binder's meters against a real hub streaming through a real Jetty: exact counts, closings by
 * reason, the replay regression, the sampled timer.
 */
class SseHubMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
    registry.close();
  }

  private JettyFixture serve(SseHub.Builder hub, int everyNthEvent) throws Exception {
    JettyFixture fixture = new JettyFixture(hub.shutdownTimeout(Duration.ofMillis(500)).build());
    open.add(fixture);
    SseHubMetrics binder =
        SseHubMetrics.builder(fixture.hub)
            .statsMaxAge(Duration.ZERO)
            .sampleEveryNthEvent(everyNthEvent)
            .build();
    open.add(0, binder);
    binder.bindTo(registry);
    return fixture;
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private static ReceivedEvent next(RawSseClient client) throws InterruptedException {
    ReceivedEvent event = client.poll(TIMEOUT);
    assertThat(event).as("an event within " + TIMEOUT).isNotNull();
    return event;
  }

  @Test
  void countsAreExactAfterPublishesToSubscribersAndOnlySampledEventsAreTimed() throws Exception {
    JettyFixture fixture = serve(SseHub.builder().name("exact"), 5);
    int subscribers = 4;
    int events = 20;
    List<RawSseClient> clients = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      clients.add(fixture.connect("news"));
    }
    await().atMost(TIMEOUT).until(() -> fixture.hub.subscriberCount("news") == subscribers);
    for (int i = 0; i < events; i++) {
      fixture.hub.publish("news", ServerSentEvent.of("e" + i)).toCompletableFuture().join();
      // One event per write: no sampled event shares a write with another one.
      for (RawSseClient client : clients) {
        assertThat(next(client).data()).isEqualTo("e" + i);
      }
    }

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(counter("ssekit.events.delivered", "hub", "exact"))
                    .isEqualTo(subscribers * events));
    assertThat(counter("ssekit.events.published")).isEqualTo(events);
    assertThat(counter("ssekit.streams.opened")).isEqualTo(subscribers);
    assertThat(gauge("ssekit.streams.open")).isEqualTo(subscribers);
    assertThat(gauge("ssekit.topics")).isEqualTo(1);
    assertThat(counter("ssekit.replays")).isZero();
    assertThat(counter("ssekit.gap.notices")).isZero();
    Timer timer = registry.get("ssekit.delivery.latency").tag("hub", "exact").timer();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(timer.count()).as("events 0, 5, 10, 15").isEqualTo(4 * subscribers));
    assertThat(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
  }

  /**
   * Regression: a live event held while the client's Last-Event-ID was looked up, then dropped as
   * already replayed, was counted as delivered too.
   */
  @Test
  void anEventHeldDuringTheReplayLookupAndReplayedIsDeliveredOnce() throws Exception {
    HeldLookupLog log = new HeldLookupLog();
    JettyFixture fixture = serve(SseHub.builder().name("replay").eventLog(log), 1);
    String first = fixture.hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    fixture.hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    RawSseClient client = fixture.request("t", Map.of("Last-Event-ID", first));
    await().atMost(TIMEOUT).until(() -> log.pending() == 1);
    fixture.hub.publish("t", ServerSentEvent.of("e3")).toCompletableFuture().join(); // held
    log.release();
    assertThat(List.of(next(client).data(), next(client).data())).containsExactly("e2", "e3");
    fixture.hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();
    assertThat(next(client).data()).isEqualTo("live");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(counter("ssekit.events.delivered"))
                    .as("e2 and e3 replayed, live: e3 once")
                    .isEqualTo(3));
    assertThat(counter("ssekit.replays")).isEqualTo(1);
    assertThat(client.poll(Duration.ofMillis(200))).as("nothing more").isNull();
  }

  @Test
  void streamsClosedAreCountedByReason() throws Exception {
    JettyFixture fixture =
        serve(SseHub.builder().name("reasons").keepAlive(Duration.ofMillis(100)), 1);
    RawSseClient gone = fixture.connect("gone");
    fixture.connect("closing");
    fixture.connect("shutdown");
    await().atMost(TIMEOUT).until(() -> fixture.hub.stats().subscribers() == 3);

    gone.close(); // the next keep-alive write fails
    await()
        .atMost(TIMEOUT)
        .until(() -> counter("ssekit.streams.closed", "reason", "client_gone") == 1);
    fixture.hub.closeTopic("closing").toCompletableFuture().join();
    await()
        .atMost(TIMEOUT)
        .until(() -> counter("ssekit.streams.closed", "reason", "topic_closed") == 1);
    fixture.hub.close();

    assertThat(counter("ssekit.streams.closed", "reason", "hub_closed")).isEqualTo(1);
    assertThat(counter("ssekit.streams.opened")).isEqualTo(3);
    assertThat(registry.get("ssekit.streams.closed").functionCounters())
        .as("one counter per CloseReason")
        .hasSize(CloseReason.values().length)
        .extracting(FunctionCounter::count)
        .containsOnly(0.0, 1.0);
    assertThat(gauge("ssekit.streams.open")).isZero();
  }

  @Test
  void overflowAndStallAreCountedByReason() throws Exception {
    JettyFixture overflowing =
        serve(SseHub.builder().name("overflow").maxQueuedBytes(64 * 1024), 1);
    overflowing.connectStalled("t");
    await().atMost(TIMEOUT).until(() -> overflowing.hub.subscriberCount("t") == 1);
    String big = "x".repeat(16 * 1024);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              for (int i = 0; i < 64; i++) {
                overflowing.hub.publish("t", ServerSentEvent.of(big)).toCompletableFuture().join();
              }
              return counter("ssekit.streams.closed", "hub", "overflow", "reason", "overflow") == 1;
            });

    JettyFixture stalling =
        serve(
            SseHub.builder()
                .name("stall")
                .maxQueuedBytes(256L * 1024 * 1024)
                .stallTimeout(Duration.ofMillis(300)),
            1);
    stalling.connectStalled("t");
    await().atMost(TIMEOUT).until(() -> stalling.hub.subscriberCount("t") == 1);
    // Far more than the socket buffers take, far less than the queue bound: the write stays
    // pending.
    for (int i = 0; i < 1024; i++) {
      stalling.hub.publish("t", ServerSentEvent.of(big)).toCompletableFuture().join();
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> counter("ssekit.streams.closed", "hub", "stall", "reason", "stalled") == 1);
    assertThat(counter("ssekit.streams.closed", "hub", "stall", "reason", "overflow")).isZero();
    assertThat(counter("ssekit.streams.closed", "hub", "overflow", "reason", "stalled")).isZero();
  }

  @Test
  void refusalsAreCountedByReason() throws Exception {
    JettyFixture fixture = serve(SseHub.builder().name("limits").maxSubscribersPerTopic(1), 1);
    fixture.connect("t");
    RawSseClient refused = fixture.connect("t");
    assertThat(refused.awaitEnd(TIMEOUT)).isTrue();
    assertThat(counter("ssekit.refusals", "reason", "topic_limit")).isEqualTo(1);
    assertThat(counter("ssekit.refusals", "reason", "hub_limit")).isZero();
    assertThat(counter("ssekit.streams.opened")).isEqualTo(1);
  }

  @Test
  void aSecondBinderCannotSampleTheSameHubAndCloseRemovesTheMeters() throws Exception {
    JettyFixture fixture = serve(SseHub.builder().name("twice"), 1);
    SseHubMetrics second = SseHubMetrics.builder(fixture.hub).build();
    assertThatThrownBy(() -> second.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hub twice already reports latencies");
    SseHubMetrics countersOnly = SseHubMetrics.builder(fixture.hub).sampleEveryNthEvent(0).build();
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    countersOnly.bindTo(other);
    assertThat(other.find("ssekit.delivery.latency").timer()).isNull();
    assertThat(other.get("ssekit.streams.open").gauge().value()).isZero();
    countersOnly.close();
    assertThat(other.getMeters()).isEmpty();
    assertThatThrownBy(() -> countersOnly.bindTo(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SseHubMetrics@twice is closed: build a new one");
  }
}
