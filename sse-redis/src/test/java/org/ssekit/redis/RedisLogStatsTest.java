package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.testkit.RedisServer;

/**
 * {@link RedisEventLog#stats()} on a real redis-server owned by the test: appends and their time,
 * the reader's lag while Redis hangs (SIGSTOP) and after, unavailable errors while Redis is
 * stopped, the reader's reconnect and reachability after a restart.
 */
@ExtendWith(RedisServer.Required.class)
class RedisLogStatsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private RedisServer redis;
  private Nodes nodes;
  private boolean paused;

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start();
    nodes = new Nodes(redis);
  }

  @AfterEach
  void stopRedis() throws Exception {
    if (paused) {
      redis.resume(); // a failed lag test must not leave the server frozen for the close
    }
    if (nodes != null) {
      nodes.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void publishesCountWithTheirTimeOnTheirNodeAndEveryNodeReadsThem() throws Exception {
    RedisEventLog logA = nodes.log().build();
    RedisEventLog logB = nodes.log().build();
    SseHub a = nodes.node(logA);
    nodes.node(logB);
    assertThat(logA.stats().appends()).isZero();
    assertThat(logA.stats().appendTotalNanos()).isZero();

    long startNanos = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      publish(a, "t", "e" + i);
    }
    long elapsedNanos = System.nanoTime() - startNanos;

    await().atMost(WAIT).until(() -> logA.stats().appends() == 10);
    RedisLogStats onA = logA.stats();
    assertThat(onA.appendTotalNanos())
        .as("ten appends, each a script and a read turn")
        .isPositive()
        .isLessThanOrEqualTo(elapsedNanos);
    assertThat(onA.appendsUnavailable()).isZero();
    assertThat(onA.reachable()).isTrue();
    assertThat(onA.unreachableReason()).isEmpty();
    await().atMost(WAIT).until(() -> logB.stats().entriesRead() == 10);
    assertThat(logB.stats().appends()).as("node B published nothing").isZero();
    assertThat(logA.stats().entriesRead()).isEqualTo(10);
    assertThat(logB.stats().entriesMissed()).isZero();
    assertThat(logB.stats().readerReconnects()).isZero();
  }

  @Test
  void readerLagGrowsWhileRedisHangsAndFallsBackOnceItAnswersAgain() throws Exception {
    RedisEventLog log = nodes.log().readBlock(Duration.ofMillis(100)).build();
    SseHub hub = nodes.node(log);
    publish(hub, "t", "before");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(log.stats().readerLag()).isLessThan(Duration.ofMillis(300)));

    redis.pause();
    paused = true;
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(log.stats().readerLag()).isGreaterThan(Duration.ofMillis(1000)));
    // The command timeout (5 s) has not passed: a hang shows in the lag before Redis counts as
    // unreachable.
    assertThat(log.stats().reachable()).isTrue();
    redis.resume();
    paused = false;

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(log.stats().readerLag()).isLessThan(Duration.ofMillis(300)));
    publish(hub, "t", "after");
    assertThat(log.stats().reachable()).isTrue();
    assertThat(log.stats().readerReconnects()).as("a hang drops no connection").isZero();
  }

  @Test
  void aStoppedRedisCountsUnavailablePublishesAndReplaysAndARestartCountsOneReconnect()
      throws Exception {
    RedisEventLog log = nodes.log().build();
    SseHub hub = nodes.node(log);
    publish(hub, "t", "before");
    assertThat(log.stats().reachable()).isTrue();

    redis.stop();
    await().atMost(WAIT).until(() -> !log.stats().reachable());
    int failed = 0;
    for (int i = 0; i < 3; i++) {
      assertThat(publishFailure(hub, "t", "while down " + i))
          .isInstanceOf(RedisUnavailableException.class);
      failed++;
    }
    RecordingStream refused = RecordingStream.subscribe(hub, "t", null);
    refused.awaitClose();

    RedisLogStats down = log.stats();
    assertThat(down.appendsUnavailable()).isEqualTo(failed);
    assertThat(down.replaysUnavailable()).isEqualTo(1);
    assertThat(down.appends()).as("only the publish before").isEqualTo(1);
    assertThat(down.reachable()).isFalse();
    assertThat(down.unreachableFor()).isPositive();
    assertThat(down.unreachableReason())
        .hasValue("connection to 127.0.0.1:" + redis.port() + " closed");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(log.stats().readerLag()).isGreaterThan(Duration.ofMillis(500)));
    assertThat(down.readerReconnects()).isZero();

    redis.restart();
    await().atMost(WAIT).until(() -> log.stats().reachable());
    await().atMost(WAIT).until(() -> log.stats().readerReconnects() >= 1);
    RedisLogStats back = log.stats();
    assertThat(back.readerReconnects()).isEqualTo(1);
    assertThat(back.unreachableFor()).isZero();
    assertThat(back.unreachableReason()).isEmpty();
    publish(hub, "t", "after");
    await().atMost(WAIT).until(() -> log.stats().appends() == 2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(log.stats().readerLag()).isLessThan(Duration.ofMillis(700)));
    assertThat(log.stats().appendsUnavailable()).as("unchanged once back").isEqualTo(failed);
  }

  private static void publish(SseHub hub, String topic, String data) throws Exception {
    hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable publishFailure(SseHub hub, String topic, String data) throws Exception {
    CompletableFuture<String> id =
        hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture();
    try {
      id.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("published " + data + " while Redis was down");
  }
}
