package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.Subscription;
import org.ssekit.testkit.RedisServer;

/**
 * Redis stopped and restarted (empty: persistence is off) under two nodes: publishing fails fast
 * and clearly, connected subscribers stay connected and catch up in order, and ids from before are
 * unknown.
 */
@ExtendWith(RedisServer.Required.class)
class RedisOutageTest {
  private RedisServer redis;
  private Nodes nodes;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start();
    nodes = new Nodes(redis);
  }

  @AfterEach
  void stopRedis() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void whileRedisIsDownPublishesFailFastAndSubscribersStayConnectedThenCatchUpInOrder()
      throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onA = RecordingStream.open(a, "t", null);
    RecordingStream onB = RecordingStream.open(b, "t", null);
    publish(a, "before");
    onB.awaitData(List.of("before"));

    redis.stop();

    for (SseHub node : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                long startNanos = System.nanoTime();
                Throwable failure = publishFailure(node, "while down");
                assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
                    .isLessThan(Duration.ofMillis(200));
                assertThat(failure)
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessage(
                        "redis unreachable at 127.0.0.1:"
                            + redis.port()
                            + ": did not append to topic t");
                assertThat(((RedisUnavailableException) failure).mayHaveBeenAppended()).isFalse();
              });
    }
    assertThat(List.of(onA, onB))
        .allSatisfy(
            stream -> {
              assertThat(stream.isClosed()).isFalse();
              assertThat(stream.subscription().state()).isEqualTo(Subscription.State.OPEN);
            });

    redis.restart();
    publishOnceReachable(a, "t", "after 1");
    publishOnceReachable(b, "t", "after 2"); // each node reconnects on its own
    publish(a, "after 3");

    // Redis restarted empty: whatever was appended after a node's last read is gone, so the
    // streams that stayed connected are told, as a reconnecting client would be.
    List<String> expected =
        List.of(
            "message:before",
            "ssekit-gap:log-lost-events",
            "message:after 1",
            "message:after 2",
            "message:after 3");
    for (RecordingStream stream : List.of(onA, onB)) {
      stream.awaitEvents(expected.size());
      assertThat(stream.typedData()).isEqualTo(expected);
    }
    assertThat(onA.ids()).isEqualTo(onB.ids());
    assertThat(onA.ids().get(2))
        .as("Redis restarted empty: a new epoch")
        .doesNotStartWith(onA.ids().get(0).substring(0, 9));
  }

  @Test
  void aRestartFromAnOlderSnapshotTellsConnectedStreamsAndIdsItLostAreUnknown() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onA = RecordingStream.open(a, "t", null);
    RecordingStream onB = RecordingStream.open(b, "t", null);
    String e1 = publish(a, "e1");
    onB.awaitEvents(1);
    command(redis -> redis.save());
    String e2 = publish(a, "e2"); // after the snapshot: Redis loses it
    onA.awaitEvents(2);
    onB.awaitEvents(2);

    redis.stop();
    redis.restart(); // loads the snapshot, which has e1 and not e2
    publishOnceReachable(a, "t", "e3");
    publishOnceReachable(b, "t", "e4"); // each node reconnects on its own

    List<String> expected =
        List.of(
            "message:e1", "message:e2", "ssekit-gap:log-lost-events", "message:e3", "message:e4");
    for (RecordingStream stream : List.of(onA, onB)) {
      stream.awaitEvents(expected.size());
      assertThat(stream.typedData()).isEqualTo(expected);
    }
    assertThat(RecordingStream.open(b, "t", e2).awaitEvents(1))
        .as("e2 is gone from Redis: its id is unknown")
        .extracting(event -> event.type() + ":" + event.data())
        .containsExactly("ssekit-gap:unknown-last-event-id");
    // e1 survived in the snapshot, but a client that presents it may have missed e2: unknown too,
    // on both nodes, for a single topic and for a selection.
    for (SseHub node : List.of(a, b)) {
      assertThat(RecordingStream.open(node, "t", e1).awaitEvents(1))
          .extracting(event -> event.type() + ":" + event.data())
          .containsExactly("ssekit-gap:unknown-last-event-id");
      assertThat(RecordingStream.open(node, Selection.of("t", "u/*"), e1).awaitEvents(1))
          .extracting(event -> event.type() + ":" + event.data())
          .containsExactly("ssekit-gap:unknown-last-event-id");
    }
    String e3 = onA.ids().get(3);
    assertThat(RecordingStream.open(b, Selection.of("t", "u/*"), e3).awaitEvents(1))
        .as("an id from after the loss resumes exactly")
        .extracting(event -> event.type() + ":" + event.data())
        .containsExactly("message:e4");
  }

  @Test
  void aRestartEmptyReachesConnectedStreamsBeforeAnyPublish() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onB = RecordingStream.open(b, Selection.of("t", "u/*"), null);
    publish(a, "e1");
    onB.awaitEvents(1);

    redis.stop();
    redis.restart(); // empty, and nobody publishes: only the reader's check on reconnecting tells

    onB.awaitEvents(2);
    assertThat(onB.typedData()).containsExactly("message:e1", "ssekit-gap:log-lost-events");
    publishOnceReachable(a, "t", "e2");
    onB.awaitEvents(3);
    assertThat(onB.typedData())
        .as("one notice per loss, and the new events after it")
        .containsExactly("message:e1", "ssekit-gap:log-lost-events", "message:e2");
  }

  @Test
  void aRestartThatLostNothingSendsNoNotice() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onB = RecordingStream.open(b, "t", null);
    publish(a, "e1");
    publish(a, "e2");
    onB.awaitEvents(2);
    command(redis -> redis.save()); // everything Redis holds is in the snapshot

    redis.stop();
    redis.restart();
    publishOnceReachable(a, "t", "e3");
    publishOnceReachable(b, "t", "e4"); // each node reconnects on its own

    onB.awaitEvents(4);
    assertThat(onB.typedData())
        .containsExactly("message:e1", "message:e2", "message:e3", "message:e4");
  }

  @Test
  void entriesTheIndexDroppedBeforeANodeReadThemAreReportedToItsStreams() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onB = RecordingStream.open(b, "t", null);
    publish(a, "e1");
    onB.awaitEvents(1);
    // Stands in for three appends trimmed from the index before node b read them: the log-wide
    // counter that every index entry carries jumps by four at the next append.
    command(redis -> redis.incrby(nodes.keyPrefix() + "log:n", 3));
    publish(a, "e2");

    onB.awaitEvents(3);
    assertThat(onB.typedData())
        .containsExactly("message:e1", "ssekit-gap:log-lost-events", "message:e2");
  }

  /** Runs {@code command} on a connection of its own to the test's Redis. */
  private void command(Consumer<RedisCommands<String, String>> command) {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      command.accept(connection.sync());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void idsFromBeforeRedisRestartedEmptyAreUnknown() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    String before = publish(a, "e1");

    redis.stop();
    redis.restart();
    publishOnceReachable(b, "probe", "b is back");

    RecordingStream beforeAnyPublish = RecordingStream.open(b, "t", before);
    publishOnceReachable(a, "t", "e2");
    // Node b hears of e2 from Redis a moment after a's publish returns; a stream that opens on b
    // before
    // that rightly gets e2 live. Wait until b has delivered e2, so that it is history for the next
    // stream.
    beforeAnyPublish.awaitEvents(2);
    RecordingStream afterAPublish = RecordingStream.open(b, "t", before);
    publish(a, "e3");

    assertThat(beforeAnyPublish.awaitEvents(3))
        .extracting(event -> event.type() + ":" + event.data())
        .containsExactly("ssekit-gap:unknown-last-event-id", "message:e2", "message:e3");
    assertThat(afterAPublish.awaitEvents(2))
        .extracting(event -> event.type() + ":" + event.data())
        .containsExactly("ssekit-gap:unknown-last-event-id", "message:e3");
  }

  @Test
  void whileRedisIsDownARevocationEndsTheLocalStreamsAndReportsThatTheOtherNodesWereNotTold()
      throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream aliceOnA = RecordingStream.open(a, "users/alice", null);
    aliceOnA.subscription().attributeTo("alice");
    RecordingStream bobOnA = RecordingStream.open(a, "users/bob", null);
    bobOnA.subscription().attributeTo("bob");
    RecordingStream aliceOnB = RecordingStream.open(b, "users/alice", null);
    aliceOnB.subscription().attributeTo("alice");

    redis.stop();
    await() // until node A knows that Redis is down (it fails publishes at once)
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publishFailure(a, "while down") instanceof RedisUnavailableException down
                    && !down.mayHaveBeenAppended());

    CompletableFuture<Integer> revoked = a.closeStreamsEverywhere("alice").toCompletableFuture();

    Throwable failure = failure(revoked);
    assertThat(failure)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessage(
            "redis unreachable at 127.0.0.1:"
                + redis.port()
                + ": did not announce a revocation to the nodes");
    assertThat(((RedisUnavailableException) failure).mayHaveBeenAppended()).isFalse();
    assertThat(aliceOnA.awaitClose()).isEqualTo(CloseReason.REVOKED);
    assertThat(bobOnA.isClosed()).isFalse();
    assertThat(a.closeStreamsOf("alice")).as("logged, not thrown").isZero();
    assertThat(aliceOnB.isClosed()).as("node B was not told").isFalse();

    redis.restart();
    await() // the application tries again once Redis is back
        .atMost(Duration.ofSeconds(10))
        .until(() -> failure(a.closeStreamsEverywhere("alice").toCompletableFuture()) == null);
    assertThat(aliceOnB.awaitClose()).isEqualTo(CloseReason.REVOKED);
  }

  @Test
  void aPresenceChangeMadeWhileRedisWasDownReachesTheOtherNodeOnceRedisIsBack() throws Exception {
    Duration lease = Duration.ofMillis(900);
    SseHub a =
        nodes.node(
            nodes.log().presenceLease(lease).build(),
            hub -> hub.presenceTopics(Selection.of("rooms/*")));
    SseHub b =
        nodes.node(
            nodes.log().presenceLease(lease).build(),
            hub -> hub.presenceTopics(Selection.of("rooms/*")));
    RecordingStream alice = RecordingStream.open(b, "rooms/a", null);
    alice.subscription().attributeTo("alice");
    RecordingStream carol = RecordingStream.open(b, "rooms/a", null);
    carol.subscription().attributeTo("carol");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.members("rooms/a").equals(Set.of("alice", "carol")));

    redis.stop();
    await() // until node B knows that Redis is down
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                publishFailure(b, "while down") instanceof RedisUnavailableException down
                    && !down.mayHaveBeenAppended());
    carol.subscription().close(); // carol leaves; B cannot tell A now
    assertThat(carol.awaitClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(b.members("rooms/a")).containsExactly("alice");
    assertThat(a.members("rooms/a")).as("A keeps what it last read").contains("carol");

    redis.restart(); // empty: B's next renewal writes its members again, and A reads them
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.members("rooms/a").equals(Set.of("alice")));
  }

  /** Returns what {@code stage} failed with within 5 s, or null if it succeeded. */
  private static Throwable failure(CompletableFuture<?> stage) throws Exception {
    try {
      stage.get(5, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static String publish(SseHub hub, String data) throws Exception {
    return hub.publish("t", ServerSentEvent.of(data))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  /** Returns why publishing failed; fails if it succeeded. */
  private static Throwable publishFailure(SseHub hub, String data) throws Exception {
    CompletableFuture<String> id = hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture();
    try {
      id.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("published " + data + " while Redis was down");
  }

  /**
   * Publishes once the node has reconnected, asserting that each attempt before was refused without
   * being sent (so nothing was appended twice).
   */
  private static void publishOnceReachable(SseHub hub, String topic, String data) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              try {
                hub.publish(topic, ServerSentEvent.of(data))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
                return true;
              } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RedisUnavailableException.class);
                assertThat(((RedisUnavailableException) e.getCause()).mayHaveBeenAppended())
                    .isFalse();
                return false;
              }
            });
  }
}
