package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.RecordingTransport.Mode;

/**
 * Listeners that call back into the hub and into their own subscription from {@code onOpen} and
 * {@code onClose} (subscribe, publish, offer, close, state) on every path by which a stream ends:
 * the core calls them with none of its locks held, so nothing deadlocks. Every wait is bounded.
 */
class ListenerReentrancyTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** How the re-entering subscription ends. */
  enum Ending {
    /** The application closes it. */
    CLOSE(CloseReason.UNSUBSCRIBED),
    /** The container reports the client gone, from another thread. */
    ABORT(CloseReason.CLIENT_GONE),
    /** The container fails a write from inside the write call. */
    FAILED_WRITE(CloseReason.CLIENT_GONE),
    /** The transport throws from write. */
    THROWING_WRITE(CloseReason.ERROR),
    /** The listener closes its own subscription from onOpen. */
    CLOSE_FROM_ON_OPEN(CloseReason.UNSUBSCRIBED),
    /** The topic is closed. */
    TOPIC_CLOSED(CloseReason.TOPIC_CLOSED);

    final CloseReason reason;

    Ending(CloseReason reason) {
      this.reason = reason;
    }
  }

  /** A listener that uses the hub and its subscription from inside both callbacks. */
  static final class ReenteringListener implements SseListener {
    private final SseHub hub;
    private final boolean closeFromOnOpen;
    private final RecordingListener recorder = new RecordingListener();
    final List<Subscription.State> statesSeen = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final CountDownLatch returnedFromOnOpen = new CountDownLatch(1);

    ReenteringListener(SseHub hub, boolean closeFromOnOpen) {
      this.hub = hub;
      this.closeFromOnOpen = closeFromOnOpen;
    }

    @Override
    public void onOpen(Subscription subscription) {
      recorder.onOpen(subscription);
      reenter(subscription);
      subscription.offer(ServerSentEvent.of("from onOpen"));
      if (closeFromOnOpen) {
        subscription.close();
      }
      returnedFromOnOpen.countDown();
    }

    @Override
    public void onClose(Subscription subscription, CloseReason reason) {
      reenter(subscription);
      subscription.close();
      subscription.abort(new ClientGoneException("again", null));
      assertThat(subscription.offer(ServerSentEvent.of("too late"))).isFalse();
      recorder.onClose(subscription, reason);
    }

    private void reenter(Subscription subscription) {
      try {
        statesSeen.add(subscription.state());
        subscription.queuedBytes();
        hub.publish("other", ServerSentEvent.of("from a callback"));
        hub.subscriberCount(subscription.topic());
        hub.stats();
        Subscription other =
            hub.subscribe("other", null, new RecordingTransport(Mode.SYNC), SseListener.NONE);
        other.state();
        other.close();
      } catch (RuntimeException | AssertionError e) {
        failures.add(e);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void listenerThatReentersTheHubAndItsSubscriptionDoesNotDeadlock(Ending ending) throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    ReenteringListener listener = new ReenteringListener(hub, ending == Ending.CLOSE_FROM_ON_OPEN);

    Subscription subscription =
        CompletableFuture.supplyAsync(() -> hub.subscribe("t", null, transport, listener), executor)
            .get(5, TimeUnit.SECONDS);
    assertThat(listener.recorder.takeOpen()).isSameAs(subscription);
    // onOpen runs on a callback thread: each ending comes once it has returned.
    assertThat(listener.returnedFromOnOpen.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<?> ended =
        CompletableFuture.runAsync(() -> end(hub, subscription, transport, ending), executor);

    assertThat(ended).succeedsWithin(Duration.ofSeconds(5));
    assertThat(listener.recorder.takeClose()).isEqualTo(ending.reason);
    assertThat(transport.awaitClose(5)).isEqualTo(ending.reason);
    assertThat(listener.failures).isEmpty();
    assertThat(listener.statesSeen.get(0)).isEqualTo(Subscription.State.OPEN);
    assertThat(listener.statesSeen.get(listener.statesSeen.size() - 1))
        .isEqualTo(Subscription.State.CLOSED);
    transport.assertContractKept();
    listener.recorder.assertExhausted();
    assertThat(CompletableFuture.runAsync(hub::close, executor))
        .succeedsWithin(Duration.ofSeconds(5));
  }

  private static void end(
      SseHub hub, Subscription subscription, RecordingTransport transport, Ending ending) {
    switch (ending) {
      case CLOSE:
        subscription.close();
        break;
      case ABORT:
        subscription.abort(new ClientGoneException("reset", null));
        break;
      case FAILED_WRITE:
        transport.mode(Mode.FAIL);
        hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture().join();
        break;
      case THROWING_WRITE:
        transport.mode(Mode.THROW);
        hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture().join();
        break;
      case TOPIC_CLOSED:
        hub.closeTopic("t").toCompletableFuture().join();
        break;
      default:
        break; // it closed itself from onOpen
    }
  }
}
