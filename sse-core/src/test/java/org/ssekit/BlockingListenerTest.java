package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;

/**
 * A listener that blocks in {@code onOpen} or {@code onClose} holds up its own stream only: the
 * thread that subscribed returns, the hub's one delivery thread keeps writing to the other streams,
 * and publishing goes on. Before the listener calls moved to the hub's callback threads, a blocked
 * {@code onClose} held the delivery thread that ended its stream, and a blocked {@code onOpen} the
 * thread that completed the log's lookup (the subscribing thread here; the Redis log's I/O thread
 * on a cluster of nodes), found by the reliability suite's {@code MisbehavingCallbacksTest}.
 */
class BlockingListenerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    hubs.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void listenersBlockedInOnCloseHoldUpNoOtherStream() throws Exception {
    SseHub hub = hubs.build(hubs.builder().deliveryThreads(1));
    AtomicInteger blocked = new AtomicInteger();
    SseListener blocking =
        new SseListener() {
          @Override
          public void onClose(Subscription subscription, CloseReason reason) {
            blocked.incrementAndGet();
            awaitRelease();
          }
        };
    int streams = 3;
    for (int i = 0; i < streams; i++) {
      hub.subscribe("gone", null, new RecordingTransport(Mode.FAIL), blocking);
    }
    // Their clients are gone: the delivery thread's write fails and ends each stream there.
    hub.publish("gone", ServerSentEvent.of("x")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    await().atMost(TIMEOUT).until(() -> blocked.get() == streams);

    RecordingTransport other = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", null, other, SseListener.NONE);
    assertThat(hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture())
        .succeedsWithin(TIMEOUT);
    await().atMost(TIMEOUT).until(() -> other.data().contains("e1"));
    assertThat(blocked).hasValue(streams);
  }

  @Test
  void aListenerBlockedInOnOpenHoldsUpOnlyItsOwnStream() throws Exception {
    SseHub hub = hubs.build(hubs.builder().deliveryThreads(1));
    CountDownLatch opening = new CountDownLatch(1);
    SseListener blocking =
        new SseListener() {
          @Override
          public void onOpen(Subscription subscription) {
            opening.countDown();
            awaitRelease();
          }
        };
    RecordingTransport slow = new RecordingTransport(Mode.SYNC);
    // The subscribing thread (a container's request thread) is not held by the listener.
    Future<Subscription> subscribing =
        executor.submit(() -> hub.subscribe("slow", null, slow, blocking));
    assertThat(subscribing).succeedsWithin(TIMEOUT);
    assertThat(opening.await(5, TimeUnit.SECONDS)).isTrue();

    List<RecordingTransport> others = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingTransport other = new RecordingTransport(Mode.SYNC);
      hub.subscribe("t", null, other, SseListener.NONE);
      others.add(other);
    }
    hub.publish("slow", ServerSentEvent.of("held")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (RecordingTransport other : others) {
      await().atMost(TIMEOUT).until(() -> other.data().contains("e1"));
    }
    assertThat(slow.data()).as("its own stream waits for onOpen").isEmpty();

    release.countDown();
    await().atMost(TIMEOUT).until(() -> slow.data().contains("held"));
  }

  private void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
