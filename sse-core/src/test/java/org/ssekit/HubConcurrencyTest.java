package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ssekit.RecordingTransport.Mode;

/**
 * Many publishers and subscribers at once, with clients vanishing mid-write: nothing escapes, every
 * subscription ends exactly once, and the hub forgets them all.
 */
class HubConcurrencyTest {
  private static final List<String> TOPICS = List.of("c0", "c1", "c2");

  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ExecutorService completions = Executors.newFixedThreadPool(4);
  private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previousHandler;

  /** A subscriber and what it recorded. */
  record Client(
      Subscription subscription, RecordingTransport transport, RecordingListener listener) {}

  @BeforeEach
  void catchUncaughtExceptions() {
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> escaped.add(e));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      hubs.close();
      workers.shutdownNow();
      completions.shutdownNow();
      assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      assertThat(completions.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }
  }

  @Test
  @Timeout(30)
  void everySubscriptionEndsExactlyOnceAndTheHubForgetsThemUnderContention() throws Exception {
    SseHub hub =
        hubs.build(
            hubs.builder()
                .deliveryThreads(4)
                .keepAlive(Duration.ofMillis(20))
                .maxQueuedBytes(8 * 1024));
    List<Client> clients = new CopyOnWriteArrayList<>();
    AtomicReference<String> recentId = new AtomicReference<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> tasks = new ArrayList<>();

    for (int p = 0; p < 6; p++) {
      int publisher = p;
      tasks.add(
          workers.submit(
              () -> {
                start.await();
                for (int n = 0; n < 2_000; n++) {
                  String topic = TOPICS.get(ThreadLocalRandom.current().nextInt(TOPICS.size()));
                  recentId.set(
                      hub.publish(topic, ServerSentEvent.of(publisher + "-" + n))
                          .toCompletableFuture()
                          .join());
                }
                return null;
              }));
    }
    for (int s = 0; s < 3; s++) {
      tasks.add(
          workers.submit(
              () -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 150; n++) {
                  Mode mode =
                      List.of(Mode.SYNC, Mode.ASYNC, Mode.CHAOS, Mode.CHAOS).get(random.nextInt(4));
                  RecordingTransport transport = new RecordingTransport(mode, completions);
                  RecordingListener listener = new RecordingListener();
                  String lastEventId =
                      switch (random.nextInt(3)) {
                        case 0 -> null;
                        case 1 -> recentId.get();
                        default -> "garbage";
                      };
                  String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                  Subscription subscription =
                      hub.subscribe(topic, lastEventId, transport, listener);
                  clients.add(new Client(subscription, transport, listener));
                  switch (random.nextInt(5)) {
                    case 0 -> subscription.close();
                    case 1 ->
                        completions.execute(
                            () -> subscription.abort(new ClientGoneException("gone", null)));
                    case 2 -> subscription.abort(new IllegalStateException("app failure"));
                    default -> {
                      // stays subscribed for now
                    }
                  }
                }
                return null;
              }));
    }
    tasks.add(
        workers.submit(
            () -> {
              start.await();
              ThreadLocalRandom random = ThreadLocalRandom.current();
              while (publishing.get()) {
                if (!clients.isEmpty()) {
                  Client victim = clients.get(random.nextInt(clients.size()));
                  victim.subscription().abort(new ClientGoneException("vanished", null));
                }
                Thread.yield();
              }
              return null;
            }));

    start.countDown();
    for (Future<?> task : tasks.subList(0, tasks.size() - 1)) {
      task.get(20, TimeUnit.SECONDS);
    }
    publishing.set(false);
    tasks.get(tasks.size() - 1).get(5, TimeUnit.SECONDS);
    for (Client client : clients) {
      if (ThreadLocalRandom.current().nextBoolean()) {
        client.subscription().close();
      } else {
        client.subscription().abort(new ClientGoneException("bye", null));
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().subscribers() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().topics() == 0);
    for (String topic : TOPICS) {
      assertThat(hub.subscriberCount(topic)).isZero();
    }
    assertThat(hub.stats().bytesQueued()).isZero();
    assertThat(clients).hasSize(450);
    for (Client client : clients) {
      assertThat(client.transport().awaitClose(5)).isNotNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> client.listener().closeCount() == 1);
      assertThat(client.transport().closeCount()).isEqualTo(1);
      assertThat(client.listener().openCount()).isLessThanOrEqualTo(1);
      assertThat(client.subscription().state()).isEqualTo(Subscription.State.CLOSED);
      client.transport().assertContractKept();
      client.listener().assertContractKept();
    }
    assertThat(escaped).as("exceptions that escaped to a thread's handler").isEmpty();
    assertThat(hub.stats().eventsPublished()).isEqualTo(12_000);
  }

  @Test
  @Timeout(30)
  void closingTheHubWhileClientsSubscribeAndPublishersPublishEndsEveryStreamOnce()
      throws Exception {
    SseHub.Builder builder = hubs.builder().deliveryThreads(3);
    SseHub hub = hubs.build(builder);
    List<Client> clients = new CopyOnWriteArrayList<>();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch warmedUp = new CountDownLatch(4);
    List<Future<?>> tasks = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      tasks.add(
          workers.submit(
              () -> {
                int n = 0;
                while (running.get()) {
                  try {
                    hub.publish(TOPICS.get(n % TOPICS.size()), ServerSentEvent.of("e" + n))
                        .toCompletableFuture()
                        .join();
                  } catch (IllegalStateException closed) {
                    running.set(false);
                  } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof IllegalStateException)) {
                      unexpected.add(e);
                    }
                  }
                  if (++n == 200) {
                    warmedUp.countDown();
                  }
                }
                return null;
              }));
    }
    for (int s = 0; s < 2; s++) {
      tasks.add(
          workers.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int n = 0;
                while (running.get()) {
                  Mode mode = List.of(Mode.SYNC, Mode.ASYNC, Mode.CHAOS).get(random.nextInt(3));
                  RecordingTransport transport = new RecordingTransport(mode, completions);
                  RecordingListener listener = new RecordingListener();
                  try {
                    Subscription subscription =
                        hub.subscribe(
                            TOPICS.get(random.nextInt(TOPICS.size())), null, transport, listener);
                    clients.add(new Client(subscription, transport, listener));
                  } catch (SubscriptionRefusedException e) {
                    if (e.reason() != SubscriptionRefusedException.Reason.HUB_CLOSED) {
                      unexpected.add(e);
                    }
                    running.set(false);
                  } catch (RuntimeException e) {
                    unexpected.add(e);
                  }
                  if (++n == 50) {
                    warmedUp.countDown();
                  }
                }
                return null;
              }));
    }
    assertThat(warmedUp.await(10, TimeUnit.SECONDS)).isTrue();

    hub.close();

    running.set(false);
    for (Future<?> task : tasks) {
      task.get(10, TimeUnit.SECONDS);
    }
    assertThat(unexpected).isEmpty();
    assertThat(clients).hasSizeGreaterThan(100);
    for (Client client : clients) {
      assertThat(client.transport().awaitClose(5)).isNotNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> client.listener().closeCount() == 1);
      assertThat(client.subscription().state()).isEqualTo(Subscription.State.CLOSED);
      client.transport().assertContractKept();
      client.listener().assertContractKept();
    }
    assertThat(hub.stats().subscribers()).isZero();
    OpenHubs.awaitNoThreads("ssekit-" + hub.config().name() + "-");
    assertThat(escaped).as("exceptions that escaped to a thread's handler").isEmpty();
  }

  @Test
  @Timeout(60)
  void everyEventReachesEverySubscriberInOrderWhileWritesCompleteOnOtherThreads() throws Exception {
    SseHub hub = hubs.build(hubs.builder().deliveryThreads(2).maxQueuedBytes(16 * 1024 * 1024));
    int publishers = 4;
    int eventsEach = 1_000;
    List<RecordingTransport> transports = new ArrayList<>();
    for (int s = 0; s < 400; s++) {
      RecordingTransport transport = new RecordingTransport(Mode.EITHER, completions);
      hub.subscribe("all", null, transport, SseListener.NONE);
      transports.add(transport);
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> tasks = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      int publisher = p;
      tasks.add(
          workers.submit(
              () -> {
                start.await();
                for (int n = 0; n < eventsEach; n++) {
                  hub.publish("all", ServerSentEvent.of(publisher + " " + n));
                  if (n % 100 == 0) {
                    Thread.yield(); // let the drainers run dry and restart now and then
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> task : tasks) {
      task.get(30, TimeUnit.SECONDS);
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (RecordingTransport transport : transports) {
                assertThat(transport.data()).hasSize(publishers * eventsEach);
              }
            });
    for (RecordingTransport transport : transports) {
      int[] next = new int[publishers];
      for (String data : transport.data()) {
        String[] parts = data.split(" ");
        int publisher = Integer.parseInt(parts[0]);
        assertThat(Integer.parseInt(parts[1]))
            .as("event of publisher %d", publisher)
            .isEqualTo(next[publisher]++);
      }
      transport.assertContractKept();
    }
    assertThat(escaped).as("exceptions that escaped to a thread's handler").isEmpty();
  }

  /**
   * A log that records whether it follows each topic, slows its unfollow down so that a topic
   * refills while it runs, and checks that calls for one topic never overlap and alternate.
   */
  static final class FollowRecordingLog extends ReplayTest.HeldOpenLog {
    private final EventLog delegate;
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> followed =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicBoolean> inCall =
        new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    FollowRecordingLog(EventLog delegate) {
      super(delegate);
      this.delegate = delegate;
    }

    @Override
    public java.util.concurrent.CompletionStage<Replay> lookUpReplay(
        String topic, String lastEventId) {
      if (!followed.getOrDefault(topic, false)) {
        violations.add("replay looked up before the log followed " + topic);
      }
      return delegate.lookUpReplay(topic, lastEventId);
    }

    @Override
    public void follow(String topic) {
      call(topic, true);
    }

    @Override
    public void unfollow(String topic) {
      call(topic, false);
    }

    private void call(String topic, boolean follow) {
      AtomicBoolean busy = inCall.computeIfAbsent(topic, t -> new AtomicBoolean());
      if (!busy.compareAndSet(false, true)) {
        violations.add("follow calls for " + topic + " overlap");
      }
      try {
        if (followed.getOrDefault(topic, false) == follow) {
          violations.add((follow ? "follow" : "unfollow") + " twice in a row for " + topic);
        }
        if (!follow) {
          // A slow unfollow, so that subscribers arrive while it runs.
          for (int i = ThreadLocalRandom.current().nextInt(2_000); i > 0; i--) {
            Thread.yield();
          }
        }
        followed.put(topic, follow);
      } finally {
        busy.set(false);
      }
    }

    boolean follows(String topic) {
      return followed.getOrDefault(topic, false);
    }
  }

  @Test
  @Timeout(60)
  void aTopicThatEmptiesAndRefillsConcurrentlyEndsFollowedExactlyWhenItHasSubscribers()
      throws Exception {
    FollowRecordingLog log = new FollowRecordingLog(EventLog.inMemory());
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> churners = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      churners.add(
          workers.submit(
              () -> {
                assertThat(start.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 200; i++) {
                  RecordingListener listener = new RecordingListener();
                  Subscription subscription =
                      hub.subscribe("churn", null, new RecordingTransport(Mode.SYNC), listener);
                  assertThat(listener.takeOpen()).isSameAs(subscription);
                  subscription.close();
                  assertThat(listener.takeClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> churner : churners) {
      churner.get(30, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount("churn") == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> !log.follows("churn"));
    assertThat(hub.stats().topics()).isZero();

    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("churn", null, transport, listener);
    listener.takeOpen();
    assertThat(log.follows("churn")).isTrue();
    hub.publish("churn", ServerSentEvent.of("after the churn"));
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("after the churn"));
    assertThat(log.violations).isEmpty();
    assertThat(escaped).isEmpty();
  }
}
