package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Retry;
import org.ssekit.internal.MemoryEventLog;

/**
 * Replay after {@code Last-Event-ID}: the hand-over from replayed to live events under racing
 * publishers, each unknown-id policy, and snapshots offered from {@code onOpen}.
 */
class ReplayTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** An event as published: the id the log assigned and its data. */
  record Published(String id, String data) {}

  @Test
  void replayThenLiveHasNoDuplicateGapOrReorderingWhilePublishersRace() throws Exception {
    EventLog log = EventLog.inMemory(Retention.builder().maxEvents(10_000).build());
    SseHub hub = hubs.build(hubs.builder().eventLog(log).deliveryThreads(4));
    Comparator<Published> logOrder = (a, b) -> log.compare(a.id(), b.id());
    int publishers = 3;
    int perPublisher = 20;

    for (int round = 0; round < 200; round++) {
      String topic = "race-" + round;
      List<Published> published = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String data = "base-" + i;
        published.add(
            new Published(
                hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().join(), data));
      }
      String lastEventId = published.get(1).id();

      List<Published> racing =
          new ArrayList<Published>(Collections.nCopies(publishers * perPublisher, null));
      AtomicInteger count = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        running.add(
            executor.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perPublisher; n++) {
                    String data = "p" + publisher + "-" + n;
                    String id =
                        hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().join();
                    racing.set(publisher * perPublisher + n, new Published(id, data));
                    count.incrementAndGet();
                  }
                  return null;
                }));
      }
      boolean async = round % 2 == 1;
      RecordingTransport replaying =
          async ? new RecordingTransport(Mode.ASYNC, executor) : new RecordingTransport(Mode.SYNC);
      RecordingTransport live =
          async ? new RecordingTransport(Mode.SYNC) : new RecordingTransport(Mode.ASYNC, executor);
      int subscribeAfter = ThreadLocalRandom.current().nextInt(publishers * perPublisher);
      start.countDown();
      while (count.get() < subscribeAfter) {
        Thread.onSpinWait();
      }
      Subscription replayingSubscription =
          hub.subscribe(topic, lastEventId, replaying, SseListener.NONE);
      Subscription liveSubscription = hub.subscribe(topic, null, live, SseListener.NONE);
      for (Future<?> future : running) {
        future.get(10, TimeUnit.SECONDS);
      }
      String endId = hub.publish(topic, ServerSentEvent.of("end")).toCompletableFuture().join();
      published.addAll(racing);
      published.add(new Published(endId, "end"));
      published.sort(logOrder);

      await().atMost(Duration.ofSeconds(5)).until(() -> replaying.lastEventId().equals(endId));
      await().atMost(Duration.ofSeconds(5)).until(() -> live.lastEventId().equals(endId));
      List<Published> replayed = received(replaying);
      List<Published> expected = published.subList(2, published.size());
      assertThat(replayed).as("round %s, replay from %s", round, lastEventId).isEqualTo(expected);
      List<Published> liveOnly = received(live);
      assertThat(liveOnly).as("round %s, live", round).isNotEmpty();
      int from = published.indexOf(liveOnly.get(0));
      assertThat(from).as("round %s, first live event is in the log", round).isNotNegative();
      assertThat(liveOnly)
          .as("round %s, live is a gapless suffix of the log", round)
          .isEqualTo(published.subList(from, published.size()));
      replaying.assertContractKept();
      live.assertContractKept();
      replayingSubscription.close();
      liveSubscription.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().subscribers() == 0);
  }

  private static List<Published> received(RecordingTransport transport) {
    return transport.events().stream().map(e -> new Published(e.lastEventId(), e.data())).toList();
  }

  /** Ways a {@code Last-Event-ID} can be unknown to the log. */
  enum UnknownId {
    MALFORMED,
    FROM_ANOTHER_LOG,
    EVICTED,
    VERY_LONG,
    NEWER_THAN_HEAD
  }

  static Stream<Arguments> unknownIdCases() {
    return Stream.of(UnknownIdPolicy.values())
        .flatMap(policy -> Stream.of(UnknownId.values()).map(kind -> Arguments.of(policy, kind)));
  }

  @ParameterizedTest(name = "{0} with {1} id")
  @MethodSource("unknownIdCases")
  void unknownLastEventIdIsHandledByThePolicy(UnknownIdPolicy policy, UnknownId kind)
      throws Exception {
    SseHub hub =
        hubs.build(
            hubs.builder()
                .unknownIdPolicy(policy)
                .eventLog(EventLog.inMemory(Retention.builder().maxEvents(3).build())));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(hub.publish("t", ServerSentEvent.of("e" + i)).toCompletableFuture().join());
    }
    String lastEventId;
    switch (kind) {
      case MALFORMED:
        lastEventId = "not-an-id";
        break;
      case FROM_ANOTHER_LOG:
        SseHub other = hubs.build();
        for (int i = 1; i <= 5; i++) {
          other.publish("t", ServerSentEvent.of("o" + i)).toCompletableFuture().join();
        }
        lastEventId = other.publish("t", ServerSentEvent.of("o")).toCompletableFuture().join();
        break;
      case EVICTED:
        lastEventId = ids.get(0);
        break;
      case VERY_LONG:
        lastEventId = ids.get(4) + "0".repeat(7 * 1024);
        break;
      case NEWER_THAN_HEAD:
        // The log's ids are opaque; an id it assigned later, to another topic, is newer than t's
        // head.
        lastEventId =
            hub.publish("u", ServerSentEvent.of("elsewhere")).toCompletableFuture().join();
        break;
      default:
        throw new AssertionError(kind);
    }

    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", lastEventId, transport, listener);
    listener.takeOpen();
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("live"));

    List<String> gap = List.of(SseHub.GAP_EVENT_TYPE + ":unknown-last-event-id");
    List<String> expected = new ArrayList<>();
    switch (policy) {
      case NOTIFY_THEN_LIVE:
        expected.addAll(gap);
        break;
      case NOTIFY_THEN_RETAINED:
        expected.addAll(gap);
        expected.addAll(List.of("message:e3", "message:e4", "message:e5"));
        break;
      case LIVE:
        break;
      default:
        throw new AssertionError(policy);
    }
    expected.add("message:live");
    assertThat(transport.events()).extracting(e -> e.type() + ":" + e.data()).isEqualTo(expected);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @ParameterizedTest
  @EnumSource(UnknownIdPolicy.class)
  void lastEvictedIdIsStillKnownSoNothingIsMissed(UnknownIdPolicy policy) throws Exception {
    SseHub hub =
        hubs.build(
            hubs.builder()
                .unknownIdPolicy(policy)
                .eventLog(EventLog.inMemory(Retention.builder().maxEvents(3).build())));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(hub.publish("t", ServerSentEvent.of("e" + i)).toCompletableFuture().join());
    }
    RecordingTransport fromSecond = new RecordingTransport(Mode.SYNC);
    RecordingTransport fromHead = new RecordingTransport(Mode.SYNC);

    hub.subscribe("t", ids.get(1), fromSecond, SseListener.NONE);
    hub.subscribe("t", ids.get(4), fromHead, SseListener.NONE);
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(5)).until(() -> fromSecond.data().contains("live"));
    await().atMost(Duration.ofSeconds(5)).until(() -> fromHead.data().contains("live"));
    assertThat(fromSecond.data()).containsExactly("e3", "e4", "e5", "live");
    assertThat(fromHead.data()).containsExactly("live");
  }

  @Test
  void aClientThatHadTheNewestEventOfAForgottenTopicGetsNoGapNotice() throws Exception {
    MemoryEventLog log =
        (MemoryEventLog)
            EventLog.inMemory(Retention.builder().maxAge(Duration.ofMillis(50)).build());
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    String older = hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    String newest = hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    // The log purges idle topics at most once a second, on appends and lookups.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              hub.publish("trigger", ServerSentEvent.of("x")).toCompletableFuture().join();
              return log.topicCount() <= 1;
            });

    RecordingTransport resumed = new RecordingTransport(Mode.SYNC);
    RecordingTransport behind = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", newest, resumed, SseListener.NONE);
    hub.subscribe("t", older, behind, SseListener.NONE);
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(5)).until(() -> resumed.data().contains("live"));
    await().atMost(Duration.ofSeconds(5)).until(() -> behind.data().contains("live"));
    assertThat(resumed.events())
        .extracting(e -> e.type() + ":" + e.data())
        .containsExactly("message:live");
    assertThat(behind.events())
        .extracting(e -> e.type() + ":" + e.data())
        .containsExactly(SseHub.GAP_EVENT_TYPE + ":unknown-last-event-id", "message:live");
  }

  @Test
  void snapshotOfferedFromOnOpenComesAfterReplayAndBeforeLiveEvents() throws Exception {
    SseHub hub = hubs.build();
    String first = hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    CountDownLatch snapshotOffered = new CountDownLatch(1);
    RecordingListener listener =
        new RecordingListener()
            .onOpenDo(
                subscription -> {
                  // A live event published, from another thread, while onOpen runs: it must wait
                  // for the snapshot.
                  CompletableFuture<String> during =
                      CompletableFuture.supplyAsync(
                          () ->
                              hub.publish("t", ServerSentEvent.of("live-1"))
                                  .toCompletableFuture()
                                  .join(),
                          executor);
                  assertThat(during).succeedsWithin(Duration.ofSeconds(5));
                  assertThat(
                          subscription.offer(
                              ServerSentEvent.builder().event("snapshot").data("state").build()))
                      .isTrue();
                  snapshotOffered.countDown();
                });

    hub.subscribe("t", first, transport, listener);
    listener.takeOpen();
    // onOpen runs on a callback thread: live-2 is published once it has offered the snapshot.
    assertThat(snapshotOffered.await(5, TimeUnit.SECONDS)).isTrue();
    hub.publish("t", ServerSentEvent.of("live-2")).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("live-2"));
    assertThat(transport.data()).containsExactly("e2", "state", "live-1", "live-2");
    listener.assertExhausted();
  }

  @Test
  void snapshotSplitsTheStreamBetweenReplayAndLiveWhilePublishersRace() throws Exception {
    SseHub hub = hubs.build();
    int events = 100;
    for (int round = 0; round < 50; round++) {
      String topic = "snap-" + round;
      String baseline =
          hub.publish(topic, ServerSentEvent.of("baseline")).toCompletableFuture().join();
      List<String> ids = new ArrayList<String>(Collections.nCopies(events, null));
      AtomicInteger count = new AtomicInteger();
      Future<?> publisher =
          executor.submit(
              () -> {
                for (int n = 0; n < events; n++) {
                  ids.set(
                      n,
                      hub.publish(topic, ServerSentEvent.of("e" + n)).toCompletableFuture().join());
                  count.incrementAndGet();
                }
                return null;
              });
      int subscribeAfter = ThreadLocalRandom.current().nextInt(events);
      while (count.get() < subscribeAfter) {
        Thread.onSpinWait();
      }
      int publishedBefore = count.get();
      RecordingTransport transport = new RecordingTransport(Mode.SYNC);
      Subscription subscription =
          hub.subscribe(
              topic,
              baseline,
              transport,
              new SseListener() {
                @Override
                public void onOpen(Subscription s) {
                  s.offer(ServerSentEvent.builder().event("snapshot").data("snapshot").build());
                }
              });
      publisher.get(5, TimeUnit.SECONDS);
      String lastId = ids.get(events - 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> transport.lastEventId().equals(lastId));
      subscription.close();

      List<String> received =
          transport.events().stream()
              .map(e -> e.type().equals("snapshot") ? "snapshot" : e.lastEventId())
              .toList();
      int snapshotAt = received.indexOf("snapshot");
      assertThat(snapshotAt).as("round %s: snapshot received", round).isNotNegative();
      assertThat(received.lastIndexOf("snapshot"))
          .as("round %s: one snapshot", round)
          .isEqualTo(snapshotAt);
      assertThat(snapshotAt)
          .as("round %s: events published before subscribing are replayed first", round)
          .isGreaterThanOrEqualTo(publishedBefore);
      List<String> withoutSnapshot = new ArrayList<>(received);
      withoutSnapshot.remove(snapshotAt);
      assertThat(withoutSnapshot)
          .as("round %s: the log from the baseline on, no gap or duplicate", round)
          .isEqualTo(ids);
    }
  }

  @Test
  void whileTheLogLooksUpTheIdOffersWaitForTheInitialRetryAndTheReplay() throws Exception {
    HeldOpenLog log = new HeldOpenLog(EventLog.inMemory());
    SseHub hub = hubs.build(hubs.builder().eventLog(log).initialRetry(Duration.ofSeconds(1)));
    String first = hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();

    Subscription subscription = hub.subscribe("t", first, transport, listener);
    assertThat(subscription.state()).isEqualTo(Subscription.State.CONNECTING);
    assertThat(subscription.offer(ServerSentEvent.of("offered"))).isTrue();
    hub.publish("t", ServerSentEvent.of("e3")).toCompletableFuture().join();
    log.release();

    listener.takeOpen();
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("live"));
    assertThat(transport.received().get(0))
        .as("the stream starts with the retry")
        .isEqualTo(new Retry(1000));
    assertThat(transport.data()).containsExactly("e2", "e3", "offered", "live");
    listener.assertExhausted();
  }

  /** A log whose lookups complete only when released, as a remote log's would. */
  @Test
  void anEventPublishedWhileTheLookupRunsReachesASubscriberWithoutLastEventId() throws Exception {
    for (UnknownIdPolicy policy : UnknownIdPolicy.values()) {
      HeldOpenLog log = new HeldOpenLog(EventLog.inMemory());
      SseHub hub = hubs.build(hubs.builder().eventLog(log).unknownIdPolicy(policy));
      hub.publish("t", ServerSentEvent.of("before")).toCompletableFuture().join();
      RecordingTransport fresh = new RecordingTransport(Mode.SYNC);
      RecordingTransport unknown = new RecordingTransport(Mode.SYNC);
      hub.subscribe("t", null, fresh, new RecordingListener());
      hub.subscribe("t", "not-an-id", unknown, new RecordingListener());
      // Registered, so these are the subscribers' live events, though the lookup has not run yet.
      hub.publish("t", ServerSentEvent.of("during")).toCompletableFuture().join();
      log.release();
      hub.publish("t", ServerSentEvent.of("after")).toCompletableFuture().join();

      await().atMost(Duration.ofSeconds(5)).until(() -> fresh.data().contains("after"));
      assertThat(fresh.data()).as(policy.toString()).containsExactly("during", "after");
      await().atMost(Duration.ofSeconds(5)).until(() -> unknown.data().contains("after"));
      List<String> expected =
          policy == UnknownIdPolicy.NOTIFY_THEN_RETAINED
              ? List.of("unknown-last-event-id", "before", "during", "after")
              : policy == UnknownIdPolicy.NOTIFY_THEN_LIVE
                  ? List.of("unknown-last-event-id", "during", "after")
                  : List.of("during", "after");
      assertThat(unknown.data()).as(policy.toString()).isEqualTo(expected);
    }
  }

  static class HeldOpenLog implements EventLog {
    private final EventLog delegate;
    private final List<Runnable> held = new ArrayList<>();

    HeldOpenLog(EventLog delegate) {
      this.delegate = delegate;
    }

    synchronized void release() {
      held.forEach(Runnable::run);
      held.clear();
    }

    @Override
    public synchronized CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
      CompletableFuture<Replay> replay = new CompletableFuture<>();
      held.add(
          () ->
              delegate
                  .lookUpReplay(topic, lastEventId)
                  .whenComplete(
                      (r, e) -> {
                        if (e != null) {
                          replay.completeExceptionally(e);
                        } else {
                          replay.complete(r);
                        }
                      }));
      return replay;
    }

    @Override
    public void start(Sink sink) {
      delegate.start(sink);
    }

    @Override
    public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
      return delegate.append(topic, event);
    }

    @Override
    public int compare(String a, String b) {
      return delegate.compare(a, b);
    }

    @Override
    public CompletionStage<Void> closeTopic(String topic) {
      return delegate.closeTopic(topic);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
