package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Write;
import org.ssekit.client.ReceivedEvent;

/**
 * Each subscriber's bounded queue, the overflow policies, batching, and isolation from slow
 * clients.
 */
class BackPressureTest {
  /**
   * The encoded size of {@code event(n)}: {@code id: xxxxxx-n\ndata: 0123456789\n\n} is about 30
   * bytes.
   */
  private static final String TEN_CHARS = "0123456789";

  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService completions = Executors.newFixedThreadPool(4);

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    completions.shutdownNow();
    assertThat(completions.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Subscribes a stalled client and waits until its first write is held, so later events queue. */
  private static Subscription subscribeStalled(
      SseHub hub, String topic, RecordingTransport transport, RecordingListener listener)
      throws InterruptedException {
    Subscription subscription = hub.subscribe(topic, null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(transport::hasPendingWrite);
    return subscription;
  }

  @Test
  void queueOfAStalledClientStaysWithinItsBound() throws Exception {
    long maxQueuedBytes = 1000;
    SseHub hub =
        hubs.build(
            hubs.builder()
                .maxQueuedBytes(maxQueuedBytes)
                .overflowPolicy(OverflowPolicy.DROP_OLDEST));
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = subscribeStalled(hub, "t", transport, listener);

    for (int i = 0; i < 1000; i++) {
      hub.publish("t", ServerSentEvent.of(TEN_CHARS + i)).toCompletableFuture().join();
      assertThat(subscription.queuedBytes()).isBetween(1L, maxQueuedBytes);
      assertThat(hub.stats().bytesQueued()).isBetween(1L, maxQueuedBytes);
    }
    assertThat(subscription.queuedBytes()).isGreaterThan(maxQueuedBytes - 40);
    assertThat(subscription.state()).isEqualTo(Subscription.State.OPEN);
    listener.assertExhausted();
  }

  @Test
  void disconnectPolicyEndsAnOverflowingStreamWithOverflow() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxQueuedBytes(1000));
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = subscribeStalled(hub, "t", transport, listener);

    int published = 0;
    while (subscription.state() != Subscription.State.CLOSED && published < 1000) {
      hub.publish("t", ServerSentEvent.of(TEN_CHARS + published)).toCompletableFuture().join();
      published++;
      assertThat(subscription.queuedBytes()).isLessThanOrEqualTo(1000);
    }

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.OVERFLOW);
    assertThat(published).as("events published until the overflow").isBetween(20, 60);
    assertThat(listener.takeClose()).isEqualTo(CloseReason.OVERFLOW);
    assertThat(hub.stats().overflowDisconnects()).isEqualTo(1);
    assertThat(hub.stats().overflowDrops()).isZero();
    assertThat(subscription.offer(ServerSentEvent.of("late"))).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount("t") == 0);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void dropOldestPolicyDropsTheOldestAndSendsAGapBeforeTheNewerEvents() throws Exception {
    SseHub hub =
        hubs.build(hubs.builder().maxQueuedBytes(200).overflowPolicy(OverflowPolicy.DROP_OLDEST));
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = subscribeStalled(hub, "t", transport, listener);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(hub.publish("t", ServerSentEvent.of(TEN_CHARS + i)).toCompletableFuture().join());
    }
    transport.resume();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.lastEventId().equals(ids.get(49)));

    List<ReceivedEvent> events = transport.events();
    assertThat(events.get(0).type()).isEqualTo(SseHub.GAP_EVENT_TYPE);
    assertThat(events.get(0).data()).isEqualTo("overflow");
    List<String> kept =
        events.subList(1, events.size()).stream().map(ReceivedEvent::lastEventId).toList();
    assertThat(kept).as("the newest events, in order").isEqualTo(ids.subList(50 - kept.size(), 50));
    assertThat(kept.size()).as("what fits in 200 bytes").isBetween(3, 8);
    assertThat(hub.stats().overflowDrops()).isEqualTo(50 - kept.size());
    assertThat(hub.stats().overflowDisconnects()).isZero();

    // The stream stays open and carries on without a gap.
    assertThat(subscription.state()).isEqualTo(Subscription.State.OPEN);
    String next = hub.publish("t", ServerSentEvent.of("next")).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.lastEventId().equals(next));
    assertThat(transport.events()).hasSize(events.size() + 1);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void eventLargerThanTheBoundIsSentWhenTheQueueIsOtherwiseEmpty() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxQueuedBytes(100));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);

    String big = "x".repeat(10_000);
    hub.publish("t", ServerSentEvent.of(big)).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 1);
    assertThat(transport.data()).containsExactly(big);
    hub.publish("t", ServerSentEvent.of(big)).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 2);

    assertThat(subscription.state()).isEqualTo(Subscription.State.OPEN);
    assertThat(hub.stats().overflowDisconnects()).isZero();
    listener.assertExhausted();
  }

  @Test
  void eventsQueuedDuringAWriteGoOutTogetherInTheNextWrite() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    subscribeStalled(hub, "t", transport, listener);

    for (String data : List.of("a", "b", "c")) {
      hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().join();
    }
    assertThat(transport.writeCount())
        .as("nothing written while a write is in flight")
        .isEqualTo(1);
    transport.resume();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 3);

    List<Write> writes = transport.writes();
    assertThat(writes).hasSize(2);
    assertThat(writes.get(1).chunkCount()).isEqualTo(3);
    assertThat(transport.data()).containsExactly("a", "b", "c");
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void writesThatCompleteAtOnceAreLoopedNotRecursed() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);
    int events = 20_000;
    AtomicInteger offered = new AtomicInteger();
    // Each write queues the next event before completing: 20,000 writes, each completed inside
    // write.
    transport.duringWrite(
        () -> {
          int n = offered.incrementAndGet();
          if (n < events) {
            subscription.offer(ServerSentEvent.of(Integer.toString(n)));
          }
        });

    subscription.offer(ServerSentEvent.of("0"));

    await().atMost(Duration.ofSeconds(10)).until(() -> transport.events().size() >= events);
    assertThat(transport.isClosed()).isFalse();
    assertThat(transport.data().get(events - 1)).isEqualTo(Integer.toString(events - 1));
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  @Timeout(20)
  void stalledClientDelaysNeitherPublishingNorOtherClients() throws Exception {
    SseHub hub = hubs.build(hubs.builder().deliveryThreads(2));
    RecordingTransport stalled = new RecordingTransport(Mode.STALL);
    RecordingListener stalledListener = new RecordingListener();
    subscribeStalled(hub, "t", stalled, stalledListener);
    List<RecordingTransport> fast = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RecordingTransport transport =
          i % 2 == 0
              ? new RecordingTransport(Mode.SYNC)
              : new RecordingTransport(Mode.ASYNC, completions);
      hub.subscribe("t", null, transport, SseListener.NONE);
      fast.add(transport);
    }

    int events = 10_000;
    String lastId = null;
    for (int i = 0; i < events; i++) {
      CompletionStage<String> stage = hub.publish("t", ServerSentEvent.of(TEN_CHARS + i));
      assertThat(stage.toCompletableFuture()).as("publish %s returned without waiting", i).isDone();
      lastId = stage.toCompletableFuture().join();
    }

    String last = lastId;
    for (RecordingTransport transport : fast) {
      await().atMost(Duration.ofSeconds(10)).until(() -> transport.lastEventId().equals(last));
      List<String> data = transport.data();
      assertThat(data).hasSize(events);
      for (int i = 0; i < events; i++) {
        assertThat(data.get(i)).isEqualTo(TEN_CHARS + i);
      }
      transport.assertContractKept();
    }
    assertThat(stalled.writeCount()).isEqualTo(1);
    assertThat(stalled.events()).isEmpty();
    stalledListener.assertExhausted();
  }

  @Test
  void aReplayLargerThanTheBoundDoesNotOverflowTheStreamItStarts() throws Exception {
    SseHub hub = hubs.build(hubs.builder().maxQueuedBytes(1000));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(hub.publish("t", ServerSentEvent.of(TEN_CHARS + i)).toCompletableFuture().join());
    }
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    // Offered from onOpen, these queue behind the ~3 KB replay before its first write.
    RecordingListener listener =
        new RecordingListener()
            .onOpenDo(
                subscription -> {
                  for (int i = 0; i < 5; i++) {
                    assertThat(subscription.offer(ServerSentEvent.of("snapshot" + i))).isTrue();
                  }
                });
    hub.subscribe("t", ids.get(0), transport, listener);
    listener.takeOpen();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().size() == 104);
    assertThat(transport.data().subList(0, 99))
        .allSatisfy(data -> assertThat(data).startsWith(TEN_CHARS));
    assertThat(transport.data().get(99)).isEqualTo("snapshot0");
    assertThat(hub.stats().overflowDisconnects()).isZero();
    listener.assertExhausted();
  }

  @Test
  void liveEventsHeldBackDuringASlowLookupAreBoundedToo() throws Exception {
    ReplayTest.HeldOpenLog log = new ReplayTest.HeldOpenLog(EventLog.inMemory());
    SseHub hub = hubs.build(hubs.builder().maxQueuedBytes(1000).eventLog(log));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);

    int published = 0;
    while (subscription.state() != Subscription.State.CLOSED && published < 1000) {
      hub.publish("t", ServerSentEvent.of(TEN_CHARS + published)).toCompletableFuture().join();
      published++;
    }
    assertThat(published).as("events held back until the overflow").isBetween(20, 60);
    assertThat(listener.takeClose()).isEqualTo(CloseReason.OVERFLOW);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.OVERFLOW);
    assertThat(transport.writeCount()).isZero();
    log.release();
    listener.assertExhausted();
  }

  @Test
  void dropOldestKeepsTheNewestHeldBackEventsAndSaysSo() throws Exception {
    LateAnsweringLog log = new LateAnsweringLog(EventLog.inMemory());
    SseHub hub =
        hubs.build(
            hubs.builder()
                .maxQueuedBytes(1000)
                .eventLog(log)
                .overflowPolicy(OverflowPolicy.DROP_OLDEST));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    for (int i = 0; i < 200; i++) {
      hub.publish("t", ServerSentEvent.of(TEN_CHARS + i)).toCompletableFuture().join();
    }
    log.release();
    listener.takeOpen();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains(TEN_CHARS + 199));
    List<ReceivedEvent> events = transport.events();
    assertThat(events.get(0).type()).isEqualTo(SseHub.GAP_EVENT_TYPE);
    assertThat(events.get(0).data()).isEqualTo("overflow");
    List<String> data = transport.data().subList(1, events.size());
    assertThat(data.size()).isBetween(20, 40);
    assertThat(data.get(data.size() - 1)).isEqualTo(TEN_CHARS + 199);
    for (int i = 1; i < data.size(); i++) {
      int previous = Integer.parseInt(data.get(i - 1).substring(TEN_CHARS.length()));
      assertThat(data.get(i)).isEqualTo(TEN_CHARS + (previous + 1));
    }
    assertThat(hub.stats().overflowDrops()).isEqualTo(200 - data.size());
    listener.assertExhausted();
  }

  /**
   * Looks the replay up at once but answers only on {@link #release()}: live events queue up
   * meanwhile.
   */
  private static final class LateAnsweringLog extends ReplayTest.HeldOpenLog {
    private final EventLog delegate;
    private final List<Runnable> answers = new ArrayList<>();

    LateAnsweringLog(EventLog delegate) {
      super(delegate);
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
      Replay replay = delegate.lookUpReplay(topic, lastEventId).toCompletableFuture().join();
      CompletableFuture<Replay> answer = new CompletableFuture<>();
      answers.add(() -> answer.complete(replay));
      return answer;
    }

    @Override
    synchronized void release() {
      answers.forEach(Runnable::run);
      answers.clear();
    }
  }
}
