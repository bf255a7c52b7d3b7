package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Retry;
import org.ssekit.SubscriptionRefusedException.Reason;
import org.ssekit.client.ReceivedEvent;

/**
 * Publishing, fan-out, closing topics, admission limits, validation and the stream's first write.
 */
class SseHubTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService completions = Executors.newFixedThreadPool(4);

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    completions.shutdownNow();
    assertThat(completions.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void everySubscriberReceivesEveryEventOnceInLogOrderWhenManyThreadsPublish() throws Exception {
    EventLog log = EventLog.inMemory(Retention.builder().maxEvents(10_000).build());
    SseHub hub = hubs.build(hubs.builder().eventLog(log).deliveryThreads(3));
    List<RecordingTransport> transports = new ArrayList<>();
    List<RecordingListener> listeners = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RecordingTransport transport =
          i % 2 == 0
              ? new RecordingTransport(Mode.SYNC)
              : new RecordingTransport(Mode.ASYNC, completions);
      RecordingListener listener = new RecordingListener();
      hub.subscribe("news", null, transport, listener);
      listener.takeOpen();
      transports.add(transport);
      listeners.add(listener);
    }

    int threads = 8;
    int perThread = 500;
    Map<String, String> idByData = new ConcurrentHashMap<>();
    ExecutorService publishers = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            publishers.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perThread; n++) {
                    String data = thread + "-" + n;
                    String id =
                        hub.publish("news", ServerSentEvent.of(data)).toCompletableFuture().join();
                    idByData.put(data, id);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(20, TimeUnit.SECONDS);
      }
    } finally {
      publishers.shutdownNow();
    }

    int total = threads * perThread;
    for (RecordingTransport transport : transports) {
      await().atMost(Duration.ofSeconds(10)).until(() -> transport.events().size() >= total);
    }
    List<ReceivedEvent> first = transports.get(0).events();
    assertThat(first).hasSize(total);
    assertThat(first)
        .extracting(ReceivedEvent::data)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(idByData.keySet());
    for (int i = 1; i < first.size(); i++) {
      assertThat(log.compare(first.get(i - 1).lastEventId(), first.get(i).lastEventId()))
          .as("ids increase at %s", i)
          .isNegative();
    }
    for (ReceivedEvent event : first) {
      assertThat(event.lastEventId()).isEqualTo(idByData.get(event.data()));
    }
    // Each publisher's own events keep their order.
    Map<String, Integer> lastSeen = new ConcurrentHashMap<>();
    for (ReceivedEvent event : first) {
      String[] parts = event.data().split("-");
      Integer previous = lastSeen.put(parts[0], Integer.valueOf(parts[1]));
      assertThat(previous == null ? -1 : previous).isLessThan(Integer.parseInt(parts[1]));
    }
    for (RecordingTransport transport : transports) {
      assertThat(transport.events()).as("same sequence for every subscriber").isEqualTo(first);
      transport.assertContractKept();
    }
    // The log order is what a fresh subscriber replays from the first event on.
    RecordingTransport replayed = new RecordingTransport(Mode.SYNC);
    hub.subscribe("news", first.get(0).lastEventId(), replayed, SseListener.NONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> replayed.events().size() >= total - 1);
    assertThat(replayed.events()).isEqualTo(first.subList(1, total));
    for (RecordingListener listener : listeners) {
      listener.assertExhausted();
    }
    assertThat(hub.stats().eventsPublished()).isEqualTo(total);
  }

  @Test
  void publishingToATopicWithoutSubscribersRetainsTheEventsForReplay() throws Exception {
    SseHub hub = hubs.build();
    List<String> ids = new ArrayList<>();
    for (String data : List.of("a", "b", "c")) {
      CompletionStage<String> stage = hub.publish("quiet", ServerSentEvent.of(data));
      assertThat(stage.toCompletableFuture()).isCompleted();
      ids.add(stage.toCompletableFuture().join());
    }
    assertThat(ids).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(hub.subscriberCount("quiet")).isZero();
    assertThat(hub.stats().topics()).isZero();

    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("quiet", ids.get(0), transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 2);
    assertThat(transport.events()).extracting(ReceivedEvent::data).containsExactly("b", "c");
    assertThat(transport.events())
        .extracting(ReceivedEvent::lastEventId)
        .containsExactly(ids.get(1), ids.get(2));
    assertThat(hub.subscriberCount("quiet")).isEqualTo(1);
    assertThat(hub.stats().topics()).isEqualTo(1);
    listener.assertExhausted();
  }

  @Test
  void closeTopicSendsWhatWasQueuedThenEndsOpenStreamsWithTopicClosed() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("game", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(transport::hasPendingWrite);
    for (String data : List.of("1", "2", "3")) {
      hub.publish("game", ServerSentEvent.of(data));
    }

    assertThat(hub.closeTopic("game").toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5));
    assertThat(subscription.state()).isEqualTo(Subscription.State.CLOSING);
    assertThat(transport.isClosed()).as("closed before the queue was written").isFalse();
    transport.resume();

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(transport.data()).containsExactly("1", "2", "3");
    assertThat(listener.takeClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(subscription.state()).isEqualTo(Subscription.State.CLOSED);
    assertThat(transport.closeCount()).isEqualTo(1);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void subscriberOfAClosedTopicIsEndedBeforeAnyWrite() throws Exception {
    SseHub hub = hubs.build();
    hub.publish("game", ServerSentEvent.of("1"));
    hub.closeTopic("game").toCompletableFuture().get(5, TimeUnit.SECONDS);

    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("game", null, transport, listener);

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(transport.writesBeforeClose()).as("writes before close").isZero();
    assertThat(transport.writeCount()).isZero();
    assertThat(listener.takeClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().subscribers() == 0);
    assertThat(hub.stats().topics()).isZero();
    listener.assertExhausted();
  }

  @Test
  void publishingToAClosedTopicFailsTheStageWithIllegalStateException() throws Exception {
    SseHub hub = hubs.build();
    hub.closeTopic("gone").toCompletableFuture().get(5, TimeUnit.SECONDS);

    CompletionStage<String> stage = hub.publish("gone", ServerSentEvent.of("late"));

    assertThat(stage.toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(hub.stats().eventsPublished()).isZero();
  }

  @Test
  void disconnectAllEndsStreamsButKeepsTheTopicOpenForReplay() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport first = new RecordingTransport(Mode.SYNC);
    RecordingTransport second = new RecordingTransport(Mode.SYNC);
    RecordingListener firstListener = new RecordingListener();
    RecordingListener secondListener = new RecordingListener();
    hub.subscribe("room", null, first, firstListener);
    hub.subscribe("room", null, second, secondListener);
    firstListener.takeOpen();
    secondListener.takeOpen();
    hub.publish("room", ServerSentEvent.of("before"))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    assertThat(hub.disconnectAll("room")).isEqualTo(2);

    assertThat(first.awaitClose(5)).isEqualTo(CloseReason.DISCONNECTED);
    assertThat(second.awaitClose(5)).isEqualTo(CloseReason.DISCONNECTED);
    assertThat(first.data()).containsExactly("before");
    assertThat(firstListener.takeClose()).isEqualTo(CloseReason.DISCONNECTED);
    assertThat(secondListener.takeClose()).isEqualTo(CloseReason.DISCONNECTED);
    assertThat(hub.disconnectAll("room")).isZero();

    hub.publish("room", ServerSentEvent.of("while away"))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    RecordingTransport back = new RecordingTransport(Mode.SYNC);
    RecordingListener backListener = new RecordingListener();
    hub.subscribe("room", first.lastEventId(), back, backListener);
    backListener.takeOpen();
    hub.publish("room", ServerSentEvent.of("live")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> back.events().size() >= 2);
    assertThat(back.data()).containsExactly("while away", "live");
    firstListener.assertExhausted();
    secondListener.assertExhausted();
    backListener.assertExhausted();
  }

  @Test
  void hubLimitRefusesSubscribersUntilOneLeaves() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxSubscribers(2));
    RecordingListener listener = new RecordingListener();
    Subscription first = hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), listener);
    hub.subscribe("b", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    RecordingTransport refusedTransport = new RecordingTransport(Mode.SYNC);
    RecordingListener refusedListener = new RecordingListener();

    assertThatThrownBy(() -> hub.subscribe("c", null, refusedTransport, refusedListener))
        .isInstanceOfSatisfying(
            SubscriptionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HUB_LIMIT))
        .hasMessageContaining("maxSubscribers=2");
    assertThat(refusedTransport.writeCount()).isZero();
    assertThat(refusedTransport.isClosed()).isFalse();
    refusedListener.assertExhausted();
    assertThat(hub.stats().subscribers()).isEqualTo(2);

    listener.takeOpen();
    first.close();
    assertThat(listener.takeClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().subscribers() == 1);
    hub.subscribe("c", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    assertThat(hub.stats().subscribers()).isEqualTo(2);
    listener.assertExhausted();
  }

  @Test
  void topicLimitRefusesSubscribersOfThatTopicOnlyUntilOneLeaves() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxSubscribersPerTopic(1));
    RecordingListener listener = new RecordingListener();
    Subscription first = hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), listener);

    assertThatThrownBy(
            () -> hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), SseListener.NONE))
        .isInstanceOfSatisfying(
            SubscriptionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOPIC_LIMIT))
        .hasMessageContaining("maxSubscribersPerTopic=1");
    hub.subscribe("b", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    assertThat(hub.subscriberCount("a")).isEqualTo(1);
    assertThat(hub.stats().subscribers()).as("a refused subscriber is not counted").isEqualTo(2);

    listener.takeOpen();
    first.abort(new ClientGoneException("gone", null));
    assertThat(listener.takeClose()).isEqualTo(CloseReason.CLIENT_GONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount("a") == 0);
    hub.subscribe("a", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
    assertThat(hub.subscriberCount("a")).isEqualTo(1);
    listener.assertExhausted();
  }

  @Test
  void publishingAnEventWithAnIdIsRefused() {
    SseHub hub = hubs.build();
    ServerSentEvent withId = ServerSentEvent.builder().id("7").data("x").build();

    assertThatThrownBy(() -> hub.publish("t", withId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id");
    assertThat(hub.stats().eventsPublished()).isZero();
  }

  @Test
  void badTopicNamesAreRefusedNamingTheTopic() {
    SseHub hub = hubs.build();
    String tooLong = "t".repeat(1025);
    String unpairedSurrogate = "abc\ud800";
    for (String topic : List.of("", tooLong, unpairedSurrogate)) {
      List<ThrowingCallable> calls =
          List.of(
              () -> hub.publish(topic, ServerSentEvent.of("x")),
              () -> hub.subscribe(topic, null, new RecordingTransport(Mode.SYNC), SseListener.NONE),
              () -> hub.closeTopic(topic));
      for (ThrowingCallable call : calls) {
        assertThatThrownBy(call)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("topic");
      }
    }
    assertThat(hub.stats().subscribers()).isZero();
    // The longest allowed name works.
    hub.publish("t".repeat(1024), ServerSentEvent.of("x"));
  }

  @Test
  void builderSettersRejectBadValuesNamingTheSetting() {
    Map<String, ThrowingCallable> calls =
        Map.ofEntries(
            Map.entry("name", () -> SseHub.builder().name("")),
            Map.entry("name ", () -> SseHub.builder().name("has space")),
            Map.entry("keepAlive", () -> SseHub.builder().keepAlive(Duration.ZERO)),
            // Longer than the hub's nanosecond clock math can hold: refused, not an overflow later.
            Map.entry(
                "keepAlive  ",
                () -> SseHub.builder().keepAlive(Duration.ofSeconds(9999999999999L))),
            Map.entry("stallTimeout ", () -> SseHub.builder().stallTimeout(Duration.ofDays(3651))),
            Map.entry(
                "shutdownTimeout ", () -> SseHub.builder().shutdownTimeout(Duration.ofDays(3651))),
            Map.entry("stallTimeout", () -> SseHub.builder().stallTimeout(Duration.ofSeconds(-1))),
            Map.entry("maxQueuedBytes", () -> SseHub.builder().maxQueuedBytes(0)),
            Map.entry("maxSubscribers", () -> SseHub.builder().maxSubscribers(0)),
            Map.entry("maxSubscribersPerTopic", () -> SseHub.builder().maxSubscribersPerTopic(0)),
            Map.entry("initialRetry", () -> SseHub.builder().initialRetry(Duration.ofMillis(-1))),
            Map.entry(
                "shutdownRetry",
                () -> SseHub.builder().shutdownRetry(Duration.ofMillis(-1), Duration.ZERO)),
            Map.entry(
                "shutdownRetry ",
                () -> SseHub.builder().shutdownRetry(Duration.ofSeconds(2), Duration.ofSeconds(1))),
            Map.entry(
                "shutdownTimeout", () -> SseHub.builder().shutdownTimeout(Duration.ofMillis(-1))),
            Map.entry("deliveryThreads", () -> SseHub.builder().deliveryThreads(0)),
            Map.entry("retryAfter", () -> SseHub.builder().retryAfter(Duration.ofSeconds(-1))),
            Map.entry("maxEvents", () -> Retention.builder().maxEvents(-1)),
            Map.entry("maxBytes", () -> Retention.builder().maxBytes(-1)),
            Map.entry("maxAge", () -> Retention.builder().maxAge(Duration.ZERO)),
            Map.entry("maxClosedTopics", () -> Retention.builder().maxClosedTopics(-1)));
    Set<String> checked = new HashSet<>();
    calls.forEach(
        (setting, call) -> {
          assertThatThrownBy(call)
              .as(setting)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith(setting.trim());
          checked.add(setting);
        });
    assertThat(checked).hasSize(calls.size());
  }

  @Test
  void initialRetryStartsEveryStream() throws Exception {
    SseHub hub = hubs.build(hubs.builder().initialRetry(Duration.ofMillis(2500)));
    String id =
        hub.publish("t", ServerSentEvent.of("old")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hub.publish("t", ServerSentEvent.of("replayed")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    RecordingTransport fresh = new RecordingTransport(Mode.SYNC);
    RecordingTransport replaying = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", null, fresh, SseListener.NONE);
    hub.subscribe("t", id, replaying, SseListener.NONE);

    await().atMost(Duration.ofSeconds(5)).until(() -> replaying.events().size() >= 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> fresh.writeCount() >= 1);
    assertThat(fresh.writes().get(0).text()).isEqualTo("retry: 2500\n\n");
    assertThat(replaying.writes().get(0).text()).startsWith("retry: 2500\n\n");
    assertThat(replaying.received().get(0)).isEqualTo(new Retry(2500));
    assertThat(replaying.data()).containsExactly("replayed");
  }

  @Test
  void withoutInitialRetryTheFirstWriteCarriesNoBytes() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);
    assertThat(transport.writes().get(0).bytes()).isEmpty();
    hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 1);
    assertThat(transport.received()).hasSize(1);
    listener.assertExhausted();
  }

  @Test
  void configIsTheBuiltSettingsAndChangesOnlyThroughToBuilder() {
    EventLog log = EventLog.inMemory();
    SseHub hub =
        hubs.build(
            hubs.builder()
                .eventLog(log)
                .keepAlive(Duration.ofSeconds(7))
                .maxQueuedBytes(4096)
                .overflowPolicy(OverflowPolicy.DROP_OLDEST)
                .initialRetry(Duration.ofSeconds(2))
                .shutdownRetry(Duration.ofSeconds(3), Duration.ofSeconds(4)));
    SseHub.Config config = hub.config();

    SseHub.Builder variant = config.toBuilder().keepAlive(Duration.ofSeconds(99));

    assertThat(hub.config()).isSameAs(config);
    assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.maxQueuedBytes()).isEqualTo(4096);
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
    assertThat(config.initialRetry()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.shutdownRetryMin()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.shutdownRetryMax()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.toString()).startsWith("SseHub.Config{name=" + config.name() + ", ");
    assertThatThrownBy(variant::build)
        .as("the variant shares the log, which serves one hub")
        .isInstanceOf(IllegalStateException.class);
    SseHub other = hubs.build(variant.eventLog(EventLog.inMemory()).name(config.name() + "b"));
    assertThat(other.config().keepAlive()).isEqualTo(Duration.ofSeconds(99));
    assertThat(other.config().maxQueuedBytes()).isEqualTo(4096);
  }
}
