package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.ReplayTest.HeldOpenLog;
import org.ssekit.SubscriptionRefusedException.Reason;
import org.ssekit.client.ReceivedEvent;

/**
 * The hub's counters count each thing once: a delivery when its bytes are handed to the transport,
 * an ending by the reason its listener was given, a refusal by its reason; and the latency sink
 * hears of sampled events only.
 */
class HubStatsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final OpenHubs hubs = new OpenHubs();

  @AfterEach
  void tearDown() {
    hubs.close();
  }

  /**
   * Regression: a live event held while the replay was looked up, and then dropped because the
   * replay carried it, was counted as delivered at fan-out, and so was counted twice over.
   */
  @Test
  void aHeldEventThatTheReplayCoveredIsCountedOnce() throws Exception {
    HeldOpenLog log = new HeldOpenLog(EventLog.inMemory());
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    String first = hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", first, transport, new RecordingListener());
    // Registered, lookup pending: e3 is held back, and the replay looked up next carries it too.
    hub.publish("t", ServerSentEvent.of("e3")).toCompletableFuture().join();
    log.release();
    await().atMost(TIMEOUT).until(() -> transport.data().contains("e3"));
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();
    await().atMost(TIMEOUT).until(() -> transport.data().contains("live"));

    assertThat(transport.data()).containsExactly("e2", "e3", "live");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(hub.stats().eventsDelivered())
                    .as("e2 and e3 replayed, live")
                    .isEqualTo(3));
    HubStats stats = hub.stats();
    assertThat(stats.replays()).isEqualTo(1);
    assertThat(stats.gapNotices()).isZero();
    assertThat(stats.eventsPublished()).isEqualTo(4);
  }

  @Test
  void eventsDroppedFromAStalledQueueAreNotDelivered() throws Exception {
    SseHub hub =
        hubs.build(hubs.builder().maxQueuedBytes(200).overflowPolicy(OverflowPolicy.DROP_OLDEST));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(TIMEOUT).until(() -> transport.writeCount() == 1);
    transport.mode(Mode.STALL);
    String last = hub.publish("t", ServerSentEvent.of("0123456789-0")).toCompletableFuture().join();
    // The first event's write is held before the others queue: otherwise a delivery thread that
    // starts late takes a batch after some drops, and the drops after it make a second gap.
    await().atMost(TIMEOUT).until(() -> transport.writeCount() == 2);
    for (int i = 1; i < 50; i++) {
      last = hub.publish("t", ServerSentEvent.of("0123456789-" + i)).toCompletableFuture().join();
    }
    transport.mode(Mode.SYNC);
    transport.resume();
    String lastId = last;
    await().atMost(TIMEOUT).until(() -> lastId.equals(transport.lastEventId()));

    List<ReceivedEvent> received = transport.events();
    long gaps = received.stream().filter(e -> e.type().equals(SseHub.GAP_EVENT_TYPE)).count();
    assertThat(gaps).isEqualTo(1);
    await().atMost(TIMEOUT).until(() -> hub.stats().eventsDelivered() == received.size() - gaps);
    HubStats stats = hub.stats();
    assertThat(stats.gapNotices()).isEqualTo(1);
    assertThat(stats.overflowDrops() + stats.eventsDelivered()).isEqualTo(50);
  }

  @Test
  void everyEndingIsCountedOnceByTheReasonItsListenerGot() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxQueuedBytes(100));
    List<RecordingListener> listeners = new ArrayList<>();
    List<Subscription> subscriptions = new ArrayList<>();
    for (String topic : List.of("unsub", "gone", "over", "disc", "closed", "shut")) {
      RecordingListener listener = new RecordingListener();
      RecordingTransport transport =
          new RecordingTransport(
              topic.equals("gone") ? Mode.FAIL : topic.equals("over") ? Mode.STALL : Mode.SYNC);
      subscriptions.add(hub.subscribe(topic, null, transport, listener));
      listeners.add(listener);
    }
    for (RecordingListener listener : listeners) {
      if (listener != listeners.get(1)) {
        listener.takeOpen();
      }
    }
    subscriptions.get(0).close();
    for (int i = 0; i < 20; i++) {
      hub.publish("over", ServerSentEvent.of("0123456789" + i)).toCompletableFuture().join();
    }
    hub.disconnectAll("disc");
    hub.closeTopic("closed").toCompletableFuture().join();
    await().atMost(TIMEOUT).until(() -> hub.stats().subscribers() == 1);
    hub.close();

    HubStats stats = hub.stats();
    assertThat(stats.streamsOpened()).isEqualTo(6);
    assertThat(stats.streamsClosed()).isEqualTo(6);
    assertThat(stats.streamsClosed(CloseReason.UNSUBSCRIBED)).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.CLIENT_GONE)).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.OVERFLOW)).isEqualTo(1);
    assertThat(stats.overflowDisconnects()).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.DISCONNECTED)).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.TOPIC_CLOSED)).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.HUB_CLOSED)).isEqualTo(1);
    assertThat(stats.streamsClosed(CloseReason.STALLED)).isZero();
  }

  @Test
  void refusalsAreCountedByReason() {
    SseHub hub = hubs.build(hubs.builder().maxSubscribers(2).maxSubscribersPerTopic(1));
    hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    assertThatThrownBy(
            () -> hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), SseListener.NONE))
        .isInstanceOf(SubscriptionRefusedException.class);
    hub.subscribe("b", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    assertThatThrownBy(
            () -> hub.subscribe("c", null, new RecordingTransport(Mode.SYNC), SseListener.NONE))
        .isInstanceOf(SubscriptionRefusedException.class);
    hub.close();
    assertThatThrownBy(
            () -> hub.subscribe("d", null, new RecordingTransport(Mode.SYNC), SseListener.NONE))
        .isInstanceOf(SubscriptionRefusedException.class);

    HubStats stats = hub.stats();
    assertThat(stats.refusals(Reason.TOPIC_LIMIT)).isEqualTo(1);
    assertThat(stats.refusals(Reason.HUB_LIMIT)).isEqualTo(1);
    assertThat(stats.refusals(Reason.HUB_CLOSED)).isEqualTo(1);
    assertThat(stats.refusals()).isEqualTo(3);
    assertThat(stats.streamsOpened()).as("refused subscribers never opened").isEqualTo(2);
  }

  @Test
  void onlySampledEventsReachTheLatencySinkOncePerSubscriber() throws Exception {
    SseHub hub = hubs.build();
    List<RecordingTransport> transports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingListener listener = new RecordingListener();
      RecordingTransport transport = new RecordingTransport(Mode.SYNC);
      hub.subscribe("t", null, transport, listener);
      listener.takeOpen();
      transports.add(transport);
    }
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    DeliveryLatencySink.Attachment attachment =
        hub.sampleLatency(4, (topic, nanos) -> latencies.add(nanos));
    assertThatThrownBy(() -> hub.sampleLatency(4, (topic, nanos) -> latencies.add(nanos)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> hub.sampleLatency(0, (topic, nanos) -> latencies.add(nanos)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("everyNthEvent < 1: 0");

    for (int i = 0; i < 8; i++) {
      String data = "e" + i;
      hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().join();
      // One event per write, so that no sampled event shares a write with another.
      await()
          .atMost(TIMEOUT)
          .until(() -> transports.stream().allMatch(t -> t.data().contains(data)));
    }
    await().atMost(TIMEOUT).until(() -> latencies.size() == 6);
    assertThat(latencies).as("events 0 and 4, to 3 subscribers").hasSize(6).allMatch(l -> l >= 0);

    attachment.close();
    attachment.close();
    for (int i = 0; i < 8; i++) {
      hub.publish("t", ServerSentEvent.of("after" + i)).toCompletableFuture().join();
    }
    await().atMost(TIMEOUT).until(() -> hub.stats().eventsDelivered() == 48);
    assertThat(latencies).as("nothing after the attachment closed").hasSize(6);
    hub.sampleLatency(1, (topic, nanos) -> latencies.add(nanos)).close(); // attachable again
  }
}
