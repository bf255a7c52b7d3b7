package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.Subscription;
import org.ssekit.internal.StreamAuthorization;

/**
 * {@link SseHub#closeStreamsOf} across two nodes sharing one Redis: the revocation reaches the
 * other node's streams of the principal, once, and no other stream; the node that revoked does not
 * apply it a second time when its own announcement comes back through Redis.
 */
class RevocationTwoNodesTest extends SharedRedisTest {

  private static RecordingStream open(SseHub hub, String topic, String principal)
      throws InterruptedException {
    RecordingStream stream = RecordingStream.open(hub, Selection.topic(topic), null);
    if (principal != null) {
      stream.subscription().attributeTo(principal);
    }
    return stream;
  }

  @Test
  void aRevocationOnNodeAEndsThePrincipalsStreamsOnNodeBAndNoOther() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream aliceOnA = open(a, "users/alice", "alice");
    RecordingStream aliceOnB = open(b, "users/alice", "alice");
    RecordingStream aliceAgainOnB = open(b, "rooms/lobby", "alice");
    RecordingStream bobOnB = open(b, "rooms/lobby", "bob");
    RecordingStream anonymousOnB = open(b, "rooms/lobby", null);

    int endedOnA = a.closeStreamsEverywhere("alice").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(endedOnA).isEqualTo(1);
    assertThat(aliceOnA.awaitClose()).isEqualTo(CloseReason.REVOKED);
    assertThat(aliceOnB.awaitClose()).isEqualTo(CloseReason.REVOKED);
    assertThat(aliceAgainOnB.awaitClose()).isEqualTo(CloseReason.REVOKED);
    // A later announcement from B, read by A after A's own: A has read past its own entry.
    RecordingStream carolOnA = open(a, "users/carol", "carol");
    assertThat(b.closeStreamsOf("carol")).isZero();
    assertThat(carolOnA.awaitClose()).isEqualTo(CloseReason.REVOKED);
    assertThat(bobOnB.isClosed()).isFalse();
    assertThat(anonymousOnB.isClosed()).isFalse();
    assertThat(a.stats().streamsClosed(CloseReason.REVOKED)).isEqualTo(2);
    assertThat(b.stats().streamsClosed(CloseReason.REVOKED)).isEqualTo(2);
  }

  @Test
  void aNodeNeverAppliesItsOwnAnnouncementWhenItComesBackThroughRedis() throws Exception {
    RedisEventLog logA = nodes.log().build();
    SseHub a = nodes.node(logA);
    SseHub b = nodes.node();
    RecordingStream aliceOnA = open(a, "users/alice", "alice");
    RecordingStream aliceOnB = open(b, "users/alice", "alice");

    // Announced through A's log without A's hub ending anything first: only a loop back could
    // end A's stream.
    logA.announceRevocation("alice").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(aliceOnB.awaitClose()).isEqualTo(CloseReason.REVOKED);
    RecordingStream carolOnA = open(a, "users/carol", "carol");
    b.closeStreamsEverywhere("carol").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(carolOnA.awaitClose())
        .as("A read past its own entry")
        .isEqualTo(CloseReason.REVOKED);

    assertThat(aliceOnA.isClosed()).isFalse();
    assertThat(aliceOnA.subscription().state()).isEqualTo(Subscription.State.OPEN);
    assertThat(a.stats().streamsClosed(CloseReason.REVOKED)).isEqualTo(1);
  }

  @Test
  void aStreamAuthorizedOnNodeBBeforeTheRevocationAndAttributedAfterItIsEnded() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream aliceOnB = open(b, "users/alice", "alice");
    // A reconnect to B whose authorizer said yes before A revoked alice...
    long authorizing = System.nanoTime();
    RecordingStream reconnecting = RecordingStream.open(b, Selection.topic("users/alice"), null);
    RecordingStream bobReconnecting = RecordingStream.open(b, Selection.topic("users/bob"), null);

    a.closeStreamsEverywhere("alice").toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(aliceOnB.awaitClose()).isEqualTo(CloseReason.REVOKED); // B applied it

    // ...and which B attributes only now, within the minute B remembers the revocation.
    StreamAuthorization.bind(
        reconnecting.subscription(), Authorization.allow(), "alice", authorizing);
    StreamAuthorization.bind(
        bobReconnecting.subscription(), Authorization.allow(), "bob", authorizing);

    assertThat(reconnecting.awaitClose()).isEqualTo(CloseReason.REVOKED);
    assertThat(bobReconnecting.isClosed()).isFalse();
  }
}
