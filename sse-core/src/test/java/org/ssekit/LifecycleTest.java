package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Retry;
import org.ssekit.SubscriptionRefusedException.Reason;

/**
 * How subscriptions end: one onClose with the right reason on every path, one transport close that
 * never overlaps a write, listeners that throw, and closing the hub.
 */
class LifecycleTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void abortWithClientGoneEndsTheStreamWithClientGone() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    assertThat(listener.takeOpen()).isSameAs(subscription);

    subscription.abort(new ClientGoneException("reset", null));

    assertThat(listener.takeClose()).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(subscription.state()).isEqualTo(Subscription.State.CLOSED);
    subscription.abort(new ClientGoneException("again", null));
    subscription.close();
    assertThat(subscription.offer(ServerSentEvent.of("late"))).isFalse();
    assertThat(transport.closeCount()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().subscribers() == 0);
    assertThat(hub.stats().topics()).isZero();
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @ParameterizedTest(name = "{0} ends the stream with {1}")
  @CsvSource({"FAIL, CLIENT_GONE", "THROW, ERROR", "FAIL_THEN_THROW, CLIENT_GONE"})
  void aWriteThatFailsOrThrowsEndsTheStreamOnceWithItsReason(Mode failing, CloseReason reason)
      throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);
    transport.mode(failing);

    assertThat(hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture())
        .succeedsWithin(Duration.ofSeconds(5));

    assertThat(listener.takeClose()).isEqualTo(reason);
    assertThat(transport.awaitClose(5)).isEqualTo(reason);
    assertThat(transport.closeCount()).isEqualTo(1);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void clientGoneWhileAWriteIsHeldEndsTheStreamWithClientGone() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(transport::hasPendingWrite);
    hub.publish("t", ServerSentEvent.of("queued"));

    transport.failPending();

    assertThat(listener.takeClose()).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(transport.writeCount()).as("the queued event is dropped").isEqualTo(1);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  static List<Throwable> causesOtherThanClientGone() {
    return List.of(new IllegalStateException("bug"), new IOException("disk full"));
  }

  @ParameterizedTest
  @MethodSource("causesOtherThanClientGone")
  void abortWithAnyOtherCauseEndsTheStreamWithError(Throwable cause) throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    listener.takeOpen();

    subscription.abort(cause);

    assertThat(listener.takeClose()).as("abort(%s)", cause).isEqualTo(CloseReason.ERROR);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.ERROR);
    listener.assertExhausted();
  }

  @Test
  void closeSendsWhatIsQueuedThenEndsTheStreamWithUnsubscribed() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    assertThat(subscription.state()).isEqualTo(Subscription.State.OPEN);
    await().atMost(Duration.ofSeconds(5)).until(transport::hasPendingWrite);
    hub.publish("t", ServerSentEvent.of("a"));
    assertThat(subscription.offer(ServerSentEvent.of("b"))).isTrue();

    subscription.close();
    subscription.close();

    assertThat(subscription.state()).isEqualTo(Subscription.State.CLOSING);
    assertThat(subscription.offer(ServerSentEvent.of("c"))).isFalse();
    hub.publish("t", ServerSentEvent.of("d"));
    assertThat(transport.isClosed()).isFalse();
    transport.resume();
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(listener.takeClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(transport.data()).containsExactly("a", "b");
    assertThat(subscription.state()).isEqualTo(Subscription.State.CLOSED);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void listenerThrowingFromOnOpenEndsOnlyThatSubscriptionWithError() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener =
        new RecordingListener().throwFromOnOpen(new IllegalStateException("boom"));
    RecordingTransport other = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", null, other, SseListener.NONE);

    assertThatCode(() -> hub.subscribe("t", null, transport, listener)).doesNotThrowAnyException();

    listener.takeOpen();
    assertThat(listener.takeClose()).isEqualTo(CloseReason.ERROR);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.ERROR);
    assertThat(hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture())
        .succeedsWithin(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> other.data().contains("x"));
    assertThat(transport.events()).isEmpty();
    transport.assertContractKept();
    listener.assertExhausted();
  }

  /** How a subscription whose listener throws from onClose ends. */
  enum Ending {
    ABORT,
    CLOSE,
    FAILED_WRITE
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void listenerThrowingFromOnCloseReachesNeitherCallerNorTransport(Ending ending) throws Exception {
    SseHub hub = hubs.build();
    RuntimeException boom = new IllegalStateException("boom");
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener().throwFromOnClose(boom);
    Subscription subscription = hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);
    switch (ending) {
      case ABORT:
        assertThatCode(() -> subscription.abort(new ClientGoneException("gone", null)))
            .doesNotThrowAnyException();
        break;
      case CLOSE:
        assertThatCode(subscription::close).doesNotThrowAnyException();
        break;
      default:
        transport.mode(Mode.FAIL);
        assertThatCode(() -> hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture().join())
            .doesNotThrowAnyException();
    }
    listener.takeClose();

    assertThat(transport.awaitClose(5)).isNotNull();
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void onCloseWaitsForOnOpenToReturn() throws Exception {
    SseHub hub = hubs.build();
    CountDownLatch inOnOpen = new CountDownLatch(1);
    CountDownLatch releaseOnOpen = new CountDownLatch(1);
    RecordingListener listener =
        new RecordingListener()
            .onOpenDo(
                subscription -> {
                  inOnOpen.countDown();
                  try {
                    assertThat(releaseOnOpen.await(10, TimeUnit.SECONDS)).isTrue();
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                });
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    CompletableFuture<Subscription> subscribing =
        CompletableFuture.supplyAsync(
            () -> hub.subscribe("t", null, transport, listener), executor);
    assertThat(inOnOpen.await(5, TimeUnit.SECONDS)).isTrue();
    Subscription subscription = listener.takeOpen();

    subscription.abort(new ClientGoneException("gone", null));
    assertThat(listener.closeCount()).as("onClose while onOpen runs").isZero();
    releaseOnOpen.countDown();

    assertThat(listener.takeClose()).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(subscribing).succeedsWithin(Duration.ofSeconds(5));
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.CLIENT_GONE);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @ParameterizedTest(name = "throwing={0}")
  @ValueSource(booleans = {false, true})
  void subscriberIsEndedWithErrorBeforeAnyWriteWhenTheLogCannotLookUpItsReplay(boolean throwing)
      throws Exception {
    EventLog log =
        new ReplayTest.HeldOpenLog(EventLog.inMemory()) {
          @Override
          public synchronized CompletionStage<Replay> lookUpReplay(
              String topic, String lastEventId) {
            RuntimeException failure = new IllegalStateException("log unreachable");
            if (throwing) {
              throw failure;
            }
            return CompletableFuture.failedFuture(failure);
          }
        };
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();

    assertThatCode(() -> hub.subscribe("t", "some-id", transport, listener))
        .doesNotThrowAnyException();

    assertThat(listener.takeClose()).as("throwing=%s", throwing).isEqualTo(CloseReason.ERROR);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.ERROR);
    assertThat(transport.writeCount()).isZero();
    assertThat(hub.stats().subscribers()).isZero();
    assertThat(hub.stats().topics()).isZero();
    listener.assertExhausted();
  }

  @Test
  void closingTheHubSendsEachStreamARetryInRangeThenEndsItWithHubClosed() throws Exception {
    SseHub.Builder builder =
        hubs.builder()
            .shutdownRetry(Duration.ofSeconds(2), Duration.ofSeconds(4))
            .shutdownTimeout(Duration.ofSeconds(5));
    SseHub hub = hubs.build(builder);
    String threadPrefix = "ssekit-" + hub.config().name() + "-";
    List<RecordingTransport> transports = new ArrayList<>();
    List<RecordingListener> listeners = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RecordingTransport transport =
          i % 2 == 0
              ? new RecordingTransport(Mode.SYNC)
              : new RecordingTransport(Mode.ASYNC, executor);
      RecordingListener listener = new RecordingListener();
      hub.subscribe(i % 3 == 0 ? "a" : "b", null, transport, listener);
      listener.takeOpen();
      transports.add(transport);
      listeners.add(listener);
    }
    hub.publish("a", ServerSentEvent.of("last words"));
    assertThat(OpenHubs.liveThreads(threadPrefix)).isNotEmpty();

    hub.close();

    Set<Long> retries = new HashSet<>();
    for (int i = 0; i < transports.size(); i++) {
      RecordingTransport transport = transports.get(i);
      assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.HUB_CLOSED);
      assertThat(listeners.get(i).takeClose()).isEqualTo(CloseReason.HUB_CLOSED);
      List<Object> received = transport.received();
      Object last = received.get(received.size() - 1);
      assertThat(last).isInstanceOf(Retry.class);
      long millis = ((Retry) last).millis();
      assertThat(millis).isBetween(2000L, 4000L);
      retries.add(millis);
      if (i % 3 == 0) {
        assertThat(transport.data()).containsExactly("last words");
      }
      transport.assertContractKept();
      listeners.get(i).assertExhausted();
    }
    assertThat(retries).as("jittered").hasSizeGreaterThan(1);
    assertThat(hub.stats().subscribers()).isZero();
    // Not eventually: when close() returns, as a container checks for leaked threads right after
    // undeploy.
    assertThat(OpenHubs.liveThreads(threadPrefix)).isEmpty();

    RecordingTransport late = new RecordingTransport(Mode.SYNC);
    assertThatThrownBy(() -> hub.subscribe("a", null, late, SseListener.NONE))
        .isInstanceOfSatisfying(
            SubscriptionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HUB_CLOSED));
    assertThat(late.writeCount()).isZero();
    assertThat(late.isClosed()).isFalse();
    assertThatThrownBy(() -> hub.publish("a", ServerSentEvent.of("x")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> hub.closeTopic("a")).isInstanceOf(IllegalStateException.class);
    assertThatCode(hub::close).doesNotThrowAnyException();
  }

  @Test
  void closingTheHubEndsAStalledStreamAfterTheShutdownTimeout() throws Exception {
    SseHub.Builder builder = hubs.builder().shutdownTimeout(Duration.ofMillis(300));
    SseHub hub = hubs.build(builder);
    RecordingTransport stalled = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, stalled, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(stalled::hasPendingWrite);

    long start = System.nanoTime();
    hub.close();
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(elapsedMillis).isBetween(300L, 3000L);
    assertThat(stalled.awaitClose(5)).isEqualTo(CloseReason.HUB_CLOSED);
    assertThat(listener.takeClose()).isEqualTo(CloseReason.HUB_CLOSED);
    OpenHubs.awaitNoThreads("ssekit-" + hub.config().name() + "-");
    stalled.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void aLogThatThrowsFromFollowOrUnfollowNeitherLeaksNorWedgesTheTopic() throws Exception {
    EventLog log =
        new ReplayTest.HeldOpenLog(EventLog.inMemory()) {
          @Override
          public synchronized CompletionStage<Replay> lookUpReplay(
              String topic, String lastEventId) {
            return CompletableFuture.completedFuture(Replay.known(List.of(), null));
          }

          @Override
          public void follow(String topic) {
            throw new IllegalStateException("follow broke");
          }

          @Override
          public void unfollow(String topic) {
            throw new IllegalStateException("unfollow broke");
          }
        };
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    for (int round = 0; round < 3; round++) {
      RecordingTransport transport = new RecordingTransport(RecordingTransport.Mode.SYNC);
      RecordingListener listener = new RecordingListener();
      Subscription subscription = hub.subscribe("t", null, transport, listener);
      listener.takeOpen();
      subscription.close();
      assertThat(listener.takeClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
      assertThat(hub.subscriberCount("t")).isZero();
      assertThat(hub.stats().topics()).isZero();
    }
  }
}
