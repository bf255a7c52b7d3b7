package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Retry;

/** {@link Subscription#expireAt}: the end of a stream whose authorization expires. */
class ExpiryTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    hubs.close();
    executor.shutdownNow();
  }

  private SseHub hub() {
    return hubs.build(
        hubs.builder().shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000)));
  }

  @Test
  void anExpiredStreamEndsAtItsInstantWithAJitteredRetryAfterWhatWasQueued() throws Exception {
    SseHub hub = hub();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("users/alice", null, transport, listener);
    listener.takeOpen();
    hub.publish("users/alice", ServerSentEvent.of("before")).toCompletableFuture().get();
    Instant expiry = Instant.now().plusMillis(300);

    subscription.expireAt(expiry);

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.EXPIRED);
    Instant ended = Instant.now();
    assertThat(ended).isAfterOrEqualTo(expiry).isBefore(expiry.plusMillis(250));
    assertThat(listener.takeClose()).isEqualTo(CloseReason.EXPIRED);
    assertThat(transport.data()).containsExactly("before");
    List<Object> received = transport.received();
    Object last = received.get(received.size() - 1);
    assertThat(last).isInstanceOf(Retry.class);
    assertThat(((Retry) last).millis()).isBetween(1000L, 2000L);
    assertThat(hub.stats().streamsClosed(CloseReason.EXPIRED)).isEqualTo(1);
  }

  @Test
  void anInstantThatPassedEndsTheStreamNow() throws Exception {
    SseHub hub = hub();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        hub.subscribe(Selection.of("rooms/*", "users/alice/**"), null, transport, listener);
    listener.takeOpen();

    subscription.expireAt(Instant.now().minusSeconds(1));

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.EXPIRED);
  }

  @Test
  void theEarliestInstantWinsAndAnEndedStreamIgnoresIt() throws Exception {
    SseHub hub = hub();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("a", null, transport, listener);
    listener.takeOpen();
    Instant early = Instant.now().plusMillis(200);

    subscription.expireAt(Instant.now().plusSeconds(3600));
    subscription.expireAt(early);
    subscription.expireAt(Instant.now().plusSeconds(60));

    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.EXPIRED);
    assertThat(Instant.now()).isBefore(early.plusMillis(1000));
    subscription.expireAt(Instant.now());
    assertThat(transport.closeCount()).isEqualTo(1);
  }

  @Test
  void manyStreamsExpiringTogetherEachEndOnceAndTheOthersStayOpen() throws Exception {
    SseHub hub = hub();
    List<RecordingTransport> expiring = new ArrayList<>();
    List<RecordingTransport> lasting = new ArrayList<>();
    Instant expiry = Instant.now().plusMillis(300);
    for (int i = 0; i < 200; i++) {
      RecordingTransport transport = new RecordingTransport(Mode.ASYNC, executor);
      RecordingListener listener = new RecordingListener();
      Subscription subscription = hub.subscribe("t" + (i % 7), null, transport, listener);
      if (i % 2 == 0) {
        executor.execute(() -> subscription.expireAt(expiry));
        expiring.add(transport);
      } else {
        lasting.add(transport);
      }
    }

    for (RecordingTransport transport : expiring) {
      assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.EXPIRED);
    }
    assertThat(lasting).noneMatch(RecordingTransport::isClosed);
    assertThat(expiring).allMatch(transport -> transport.closeCount() == 1);
    assertThat(hub.stats().streamsClosed(CloseReason.EXPIRED)).isEqualTo(100);
  }
}
