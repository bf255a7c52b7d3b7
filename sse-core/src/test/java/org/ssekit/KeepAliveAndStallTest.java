package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Comment;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.client.ReceivedEvent;

/** Keep-alive comments on idle streams, and the stall timeout for clients that stopped reading. */
class KeepAliveAndStallTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void tearDown() throws InterruptedException {
    hubs.close();
    scheduler.shutdownNow();
    assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  private static long keepAlives(RecordingTransport transport) {
    return transport.received().stream().filter(new Comment("keep-alive")::equals).count();
  }

  /**
   * Publishes {@code count} events to {@code topic}, one every {@code periodMillis}, and waits for
   * the last.
   */
  private void publishPaced(SseHub hub, String topic, int count, long periodMillis)
      throws InterruptedException {
    AtomicInteger published = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    ScheduledFuture<?> task =
        scheduler.scheduleAtFixedRate(
            () -> {
              int n = published.getAndIncrement();
              if (n < count) {
                hub.publish(topic, ServerSentEvent.of("e" + n));
              } else {
                done.countDown();
              }
            },
            0,
            periodMillis,
            TimeUnit.MILLISECONDS);
    try {
      assertThat(done.await(count * periodMillis + 5_000, TimeUnit.MILLISECONDS)).isTrue();
    } finally {
      task.cancel(false);
    }
  }

  @Test
  void idleSubscriberReceivesKeepAliveComments() throws Exception {
    SseHub hub = hubs.build(hubs.builder().keepAlive(Duration.ofMillis(100)));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();

    await().atMost(Duration.ofSeconds(5)).until(() -> keepAlives(transport) >= 3);
    assertThat(transport.events()).as("comments dispatch no event").isEmpty();
    List<RecordingTransport.Write> writes = transport.writes();
    assertThat(writes.subList(1, writes.size()))
        .extracting(RecordingTransport.Write::text)
        .allMatch(": keep-alive\n\n"::equals);
    assertThat(hub.stats().keepAlivesSent()).isGreaterThanOrEqualTo(3);
    listener.assertExhausted();
  }

  @Test
  void busySubscriberGetsNoKeepAliveBetweenEvents() throws Exception {
    // Events every 10 ms against a 500 ms keep-alive: a wide margin for a loaded machine.
    SseHub hub = hubs.build(hubs.builder().keepAlive(Duration.ofMillis(500)));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();

    publishPaced(hub, "t", 80, 10);
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.events().size() >= 80);

    List<Object> received = transport.received();
    int first = received.indexOf(transport.events().get(0));
    int last = received.indexOf(transport.events().get(79));
    assertThat(received.subList(first, last + 1))
        .as("between the first and last event")
        .hasOnlyElementsOfType(ReceivedEvent.class);
    listener.assertExhausted();
  }

  @Test
  void clientWithAWriteInFlightGetsNoKeepAliveQueued() throws Exception {
    SseHub hub = hubs.build(hubs.builder().keepAlive(Duration.ofMillis(100)));
    RecordingTransport reading = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("t", null, reading, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(reading::hasPendingWrite);
    RecordingTransport idle = new RecordingTransport(Mode.SYNC);
    hub.subscribe("t", null, idle, SseListener.NONE);

    // The idle client's keep-alives show that several keep-alive intervals went by.
    await().atMost(Duration.ofSeconds(5)).until(() -> keepAlives(idle) >= 3);
    assertThat(subscription.queuedBytes()).as("nothing queued behind the write in flight").isZero();
    reading.resume();
    assertThat(reading.writes()).hasSize(1);
    assertThat(hub.stats().keepAlivesSent()).isEqualTo(keepAlives(idle));
    listener.assertExhausted();
  }

  @Test
  void keepAliveThatFailsToBeWrittenEndsTheStreamWithClientGone() throws Exception {
    SseHub hub = hubs.build(hubs.builder().keepAlive(Duration.ofMillis(100)));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    listener.takeOpen();
    await().atMost(Duration.ofSeconds(5)).until(() -> transport.writeCount() >= 1);
    transport.mode(Mode.FAIL);

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(listener.takeClose()).isEqualTo(CloseReason.CLIENT_GONE);
    // On a busy machine a keep-alive may succeed before the mode switches: the last one is the
    // failed one.
    List<RecordingTransport.Write> writes = transport.writes();
    assertThat(writes.size()).isGreaterThanOrEqualTo(2);
    assertThat(writes.subList(1, writes.size()))
        .allSatisfy(write -> assertThat(write.text()).isEqualTo(": keep-alive\n\n"));
    assertThat(hub.stats().keepAlivesSent()).isEqualTo(writes.size() - 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().subscribers() == 0);
    transport.assertContractKept();
    listener.assertExhausted();
  }

  @Test
  void subscriberWhoseWriteNeverCompletesIsEndedWithStalled() throws Exception {
    SseHub hub = hubs.build(hubs.builder().stallTimeout(Duration.ofMillis(200)));
    RecordingTransport idle = new RecordingTransport(Mode.SYNC);
    RecordingListener idleListener = new RecordingListener();
    hub.subscribe("t", null, idle, idleListener);
    idleListener.takeOpen();
    long start = System.nanoTime();
    RecordingTransport stalled = new RecordingTransport(Mode.STALL);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, stalled, listener);
    listener.takeOpen();

    assertThat(stalled.awaitClose(5)).isEqualTo(CloseReason.STALLED);
    assertThat(System.nanoTime() - start)
        .as("not before the stall timeout")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(listener.takeClose()).isEqualTo(CloseReason.STALLED);
    assertThat(hub.stats().stallDisconnects()).isEqualTo(1);
    assertThat(stalled.closeCount()).isEqualTo(1);
    // An idle client is not a stalled one.
    assertThat(idle.isClosed()).isFalse();
    assertThat(hub.subscriberCount("t")).isEqualTo(1);
    stalled.assertContractKept();
    listener.assertExhausted();
    idleListener.assertExhausted();
  }

  @Test
  void slowClientThatKeepsReadingIsNotStalled() throws Exception {
    SseHub hub = hubs.build(hubs.builder().stallTimeout(Duration.ofMillis(500)));
    Executor after50Millis = task -> scheduler.schedule(task, 50, TimeUnit.MILLISECONDS);
    RecordingTransport slow = new RecordingTransport(Mode.ASYNC, after50Millis);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, slow, listener);
    listener.takeOpen();

    publishPaced(hub, "t", 40, 15);
    await().atMost(Duration.ofSeconds(5)).until(() -> slow.events().size() >= 40);

    assertThat(slow.isClosed()).isFalse();
    assertThat(hub.stats().stallDisconnects()).isZero();
    assertThat(slow.writeCount()).as("events batched while a write was in flight").isLessThan(40);
    listener.assertExhausted();
  }
}
