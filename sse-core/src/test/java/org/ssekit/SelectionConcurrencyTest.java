package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.client.ReceivedEvent;

/**
 * Many publishers over many topics, selection streams that reconnect at random moments from the
 * publishers' threads, and streams that vanish mid-write: every stream that stays gets exactly its
 * matching events, once each, in the log's order, and the vanishing ones affect nobody.
 */
class SelectionConcurrencyTest {
  private static final List<Selection> SELECTIONS =
      List.of(
          Selection.of("t/0", "t/1"),
          Selection.of("t/*", "t/3"),
          Selection.of("t/2", "**"),
          Selection.of("t/4", "t/5", "t/6"),
          Selection.of("t/7", "u/**"),
          Selection.of("*/1", "u/*"));

  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** An event as published. */
  record Published(String id, String topic, String data) {}

  @RepeatedTest(10) // a race has more chances to show
  void streamsGetExactlyTheirEventsWhilePublishersRaceAndOthersVanish() throws Exception {
    EventLog log = EventLog.inMemory(Retention.builder().maxEvents(100_000).build());
    SseHub hub = hubs.build(hubs.builder().eventLog(log).deliveryThreads(4));
    String baseId = hub.publish("z", ServerSentEvent.of("base")).toCompletableFuture().join();
    List<Connection> steady = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      steady.add(new Connection(hub, SELECTIONS.get(i % SELECTIONS.size()), baseId, executor));
    }
    List<RecordingTransport> vanishing = new ArrayList<>();
    List<Subscription> vanishingSubscriptions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RecordingTransport transport = new RecordingTransport(Mode.CHAOS, executor);
      vanishing.add(transport);
      vanishingSubscriptions.add(
          hub.subscribe(SELECTIONS.get(i % SELECTIONS.size()), null, transport, SseListener.NONE));
    }

    int publishers = 4;
    int perPublisher = 300;
    List<Published> published = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> running = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int publisher = p;
      running.add(
          executor.submit(
              () -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < perPublisher; n++) {
                  String topic = (random.nextInt(5) == 0 ? "u/" : "t/") + random.nextInt(8);
                  String data = "p" + publisher + "-" + n;
                  String id =
                      hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().join();
                  published.add(new Published(id, topic, data));
                  if (random.nextInt(25) == 0) {
                    steady.get(random.nextInt(steady.size())).reconnect();
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> future : running) {
      future.get(30, TimeUnit.SECONDS);
    }

    List<Published> inLogOrder = new ArrayList<>(published);
    inLogOrder.sort((a, b) -> log.compare(a.id(), b.id()));
    for (Connection connection : steady) {
      List<String> expected =
          inLogOrder.stream()
              .filter(event -> connection.selection.matches(event.topic()))
              .map(event -> event.id() + " " + event.data())
              .toList();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(connection.received())
                      .as("%s", connection.selection)
                      .isEqualTo(expected));
    }
    for (RecordingTransport transport : vanishing) {
      transport.assertContractKept();
    }
    for (Connection connection : steady) {
      connection.close();
    }
    vanishingSubscriptions.forEach(Subscription::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().subscribers() == 0);
  }

  /** A client's successive connections, each resuming from the last event the previous got. */
  private static final class Connection {
    final Selection selection;
    private final SseHub hub;
    private final ExecutorService executor;
    // @GuardedBy("this"): what earlier connections received before they dropped
    private final List<String> earlier = new ArrayList<>();
    private String lastEventId; // @GuardedBy("this")
    private RecordingTransport transport; // @GuardedBy("this")
    private Subscription subscription; // @GuardedBy("this")

    Connection(SseHub hub, Selection selection, String baseId, ExecutorService executor) {
      this.hub = hub;
      this.selection = selection;
      this.executor = executor;
      this.lastEventId = baseId;
      connect();
    }

    private synchronized void connect() {
      transport = new RecordingTransport(Mode.EITHER, executor);
      subscription = hub.subscribe(selection, lastEventId, transport, SseListener.NONE);
    }

    /** Drops the connection wherever its writes are, and reconnects with the last id received. */
    synchronized void reconnect() {
      List<ReceivedEvent> events = transport.events();
      subscription.abort(new ClientGoneException("dropped", null));
      if (!events.isEmpty()) {
        lastEventId = events.get(events.size() - 1).lastEventId();
      }
      for (ReceivedEvent event : events) {
        earlier.add(event.lastEventId() + " " + event.data());
      }
      connect();
    }

    synchronized void close() {
      subscription.close();
    }

    /** Returns "id data" of every event received on every connection, in order. */
    synchronized List<String> received() {
      List<String> all = new ArrayList<>(earlier);
      for (ReceivedEvent event : transport.events()) {
        all.add(event.lastEventId() + " " + event.data());
      }
      return all;
    }
  }
}
