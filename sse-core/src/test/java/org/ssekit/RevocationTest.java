package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.RecordingTransport.Retry;
import org.ssekit.internal.StreamAuthorization;

/**
 * {@link SseHub#closeStreamsOf}: every stream {@linkplain Subscription#attributeTo attributed} to a
 * principal ends at once, and only those.
 */
class RevocationTest {
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

  private record Stream(Subscription subscription, RecordingTransport transport) {}

  private static Stream open(SseHub hub, Selection selection, String principal) throws Exception {
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe(selection, null, transport, listener);
    listener.takeOpen();
    if (principal != null) {
      subscription.attributeTo(principal);
    }
    return new Stream(subscription, transport);
  }

  @Test
  void closeStreamsOfEndsEveryStreamOfThePrincipalWithAJitteredRetryAndNoOther() throws Exception {
    SseHub hub = hub();
    Stream aliceInbox = open(hub, Selection.topic("users/alice/inbox"), "alice");
    Stream aliceAll = open(hub, Selection.of("users/alice/**", "rooms/*"), "alice");
    Stream bob = open(hub, Selection.of("users/bob/**", "rooms/*"), "bob");
    Stream anonymous = open(hub, Selection.of("rooms/*"), null);
    hub.publish("users/alice/inbox", ServerSentEvent.of("queued")).toCompletableFuture().get();

    assertThat(hub.closeStreamsOf("alice")).isEqualTo(2);

    for (Stream alice : List.of(aliceInbox, aliceAll)) {
      assertThat(alice.transport().awaitClose(5)).isEqualTo(CloseReason.REVOKED);
      assertThat(alice.transport().data()).containsExactly("queued");
      List<Object> received = alice.transport().received();
      Object last = received.get(received.size() - 1);
      assertThat(last).isInstanceOf(Retry.class);
      assertThat(((Retry) last).millis()).isBetween(1000L, 2000L);
    }
    assertThat(bob.transport().isClosed()).isFalse();
    assertThat(anonymous.transport().isClosed()).isFalse();
    assertThat(hub.stats().streamsClosed(CloseReason.REVOKED)).isEqualTo(2);
    assertThat(hub.closeStreamsOf("alice")).isZero();
    assertThat(hub.closeStreamsOf("nobody")).isZero();
  }

  @Test
  void aStreamWhoseAuthorizationBeganBeforeARevocationEndsWhenAttributedAfterIt() throws Exception {
    SseHub hub = hub();
    long authorizing = System.nanoTime(); // the authorizer said yes, then alice was revoked
    assertThat(hub.closeStreamsOf("alice")).isZero();
    long authorizedLater = System.nanoTime(); // a new login after the revocation

    RecordingTransport late = new RecordingTransport(Mode.SYNC);
    Subscription lateOne = hub.subscribe("users/alice", null, late, new RecordingListener());
    StreamAuthorization.bind(lateOne, Authorization.allow(), "alice", authorizing);
    RecordingTransport fresh = new RecordingTransport(Mode.SYNC);
    RecordingListener freshListener = new RecordingListener();
    Subscription freshOne = hub.subscribe("users/alice", null, fresh, freshListener);
    StreamAuthorization.bind(freshOne, Authorization.allow(), "alice", authorizedLater);

    assertThat(late.awaitClose(5)).isEqualTo(CloseReason.REVOKED);
    freshListener.takeOpen();
    assertThat(fresh.isClosed()).isFalse();
    assertThat(hub.closeStreamsOf("alice")).isEqualTo(1);
    assertThat(fresh.awaitClose(5)).isEqualTo(CloseReason.REVOKED);
  }

  @Test
  void theAllowancesPrincipalWinsOverTheRequestsAndSetsTheExpiryToo() throws Exception {
    SseHub hub = hub();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe("users/carol", null, transport, listener);
    listener.takeOpen();
    Authorization allowance =
        Authorization.allowUntil(java.time.Instant.now().plusSeconds(3600)).forPrincipal("carol");

    StreamAuthorization.bind(subscription, allowance, "container-user", System.nanoTime());

    assertThat(allowance.principal()).hasValue("carol");
    assertThat(allowance.expiry()).isPresent();
    assertThat(hub.closeStreamsOf("container-user")).isZero();
    assertThat(hub.closeStreamsOf("carol")).isEqualTo(1);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.REVOKED);
  }

  @Test
  void attributionRules() throws Exception {
    SseHub hub = hub();
    Stream stream = open(hub, Selection.topic("a"), "alice");
    Subscription subscription = stream.subscription();

    subscription.attributeTo("alice"); // again, the same name: no effect
    assertThatThrownBy(() -> subscription.attributeTo("bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("attributed to another principal");
    assertThatThrownBy(() -> subscription.attributeTo(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("principal is empty");
    assertThatThrownBy(() -> subscription.attributeTo(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("principal");
    assertThatThrownBy(() -> hub.closeStreamsOf(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("principal");
    assertThatThrownBy(() -> Authorization.forbidden("no").forPrincipal("alice"))
        .isInstanceOf(IllegalStateException.class);

    subscription.close();
    assertThat(stream.transport().awaitClose(5)).isEqualTo(CloseReason.UNSUBSCRIBED);
    subscription.attributeTo("alice"); // after the end: not registered again
    assertThat(hub.closeStreamsOf("alice")).isZero();
  }

  @Test
  void aRevocationUnderContentionEndsEveryStreamAuthorizedBeforeItAndNoOtherPrincipals()
      throws Exception {
    SseHub hub = hub();
    int threads = 8;
    int perThread = 150;
    record Opened(String principal, long authorizingNanos, RecordingTransport transport) {}
    Queue<Opened> opened = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> openers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      openers.add(
          executor.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  String principal = (thread + i) % 2 == 0 ? "alice" : "bob";
                  long authorizing = System.nanoTime();
                  RecordingTransport transport = new RecordingTransport(Mode.ASYNC, executor);
                  Subscription subscription =
                      hub.subscribe(
                          Selection.of("users/" + principal + "/**", "rooms/" + (i % 5)),
                          null,
                          transport,
                          new RecordingListener());
                  StreamAuthorization.bind(
                      subscription, Authorization.allow(), principal, authorizing);
                  opened.add(new Opened(principal, authorizing, transport));
                }
                return null;
              }));
    }
    AtomicLong revokedBefore = new AtomicLong();
    Future<Integer> revoker =
        executor.submit(
            () -> {
              start.await();
              while (opened.size() < threads * perThread / 2) {
                Thread.onSpinWait();
              }
              revokedBefore.set(System.nanoTime());
              return hub.closeStreamsOf("alice");
            });

    start.countDown();
    for (Future<?> opener : openers) {
      opener.get(30, TimeUnit.SECONDS);
    }
    int endedByTheCall = revoker.get(30, TimeUnit.SECONDS);

    int revoked = 0;
    for (Opened stream : opened) {
      if (stream.principal().equals("bob")) {
        assertThat(stream.transport().isClosed()).isFalse();
      } else if (stream.authorizingNanos() - revokedBefore.get() <= 0) {
        assertThat(stream.transport().awaitClose(5)).isEqualTo(CloseReason.REVOKED);
        revoked++;
      }
    }
    assertThat(revoked).isGreaterThanOrEqualTo(threads * perThread / 4);
    assertThat(endedByTheCall).isLessThanOrEqualTo(revoked);
    assertThat(opened).allMatch(stream -> stream.transport().closeCount() <= 1);
    assertThat(hub.stats().streamsClosed(CloseReason.REVOKED)).isGreaterThanOrEqualTo(revoked);
  }
}
