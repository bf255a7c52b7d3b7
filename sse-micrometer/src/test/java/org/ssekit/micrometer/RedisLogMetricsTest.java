package org.ssekit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisUnavailableException;
import org.ssekit.testkit.RedisServer;

/**
 * The Redis log's meters on a hub whose log is on a real redis-server owned by the test: publish
 * latency and counts after publishes, unavailable errors and reachability while Redis is stopped,
 * one reader reconnect after it restarts.
 */
@ExtendWith(RedisServer.Required.class)
class RedisLogMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private RedisServer redis;
  private RedisEventLog log;
  private SseHub hub;
  private RedisLogMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    log =
        RedisEventLog.builder(redis.uri())
            .name("metered")
            .commandTimeout(Duration.ofSeconds(5))
            .build();
    hub = SseHub.builder().name("h").eventLog(log).shutdownTimeout(Duration.ofMillis(200)).build();
    metrics = RedisLogMetrics.builder(log).tags(Tags.of("hub", "h")).build();
    metrics.bindTo(registry);
  }

  @AfterEach
  void stop() throws Exception {
    if (metrics != null) {
      metrics.close();
    }
    if (hub != null) {
      hub.close();
    }
    if (redis != null) {
      redis.close();
    }
    registry.close();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tag("log", "metered").tags(tags).functionCounter().count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("log", "metered").gauge().value();
  }

  private Duration lag() {
    return Duration.ofNanos(
        (long)
            registry
                .get("ssekit.redis.reader.lag")
                .tag("log", "metered")
                .timeGauge()
                .value(TimeUnit.NANOSECONDS));
  }

  @Test
  void publishLatencyAndCountsMoveAfterPublishes() throws Exception {
    FunctionTimer latency =
        registry.get("ssekit.redis.publish.latency").tag("log", "metered").functionTimer();
    assertThat(latency.count()).isZero();
    // The reader starts reading from the index's newest entry, found on its own thread after the
    // build: an entry appended before that is never read (nor owed to a stream: none can open
    // before it). Publishing only once a stream is open makes the count exact (CI 2026-12-06 saw 4
    // of 5 reader entries twice, when the first publish came before the reader's start).
    CountDownLatch opened = new CountDownLatch(1);
    hub.subscribe(
        "t",
        null,
        new BoundedMetersTest.InstantTransport(),
        new SseListener() {
          @Override
          public void onOpen(Subscription subscription) {
            opened.countDown();
          }
        });
    assertThat(opened.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("stream opened").isTrue();

    for (int i = 0; i < 5; i++) {
      publish("e" + i);
    }

    await().atMost(WAIT).until(() -> latency.count() == 5);
    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(latency.mean(TimeUnit.MILLISECONDS)).isLessThan(5_000);
    // The reader reads each entry after its XADD answered, on its own connection.
    await().atMost(WAIT).until(() -> counter("ssekit.redis.reader.entries") >= 5);
    assertThat(counter("ssekit.redis.reader.entries")).isEqualTo(5);
    assertThat(counter("ssekit.redis.reader.missed")).isZero();
    assertThat(counter("ssekit.redis.unavailable", "operation", "publish")).isZero();
    assertThat(gauge("ssekit.redis.reachable")).isEqualTo(1);
    assertThat(latency.getId().getTag("hub")).isEqualTo("h");
  }

  @Test
  void aStoppedRedisShowsAsUnavailablePublishesAndUnreachableThenOneReconnectAfterTheRestart()
      throws Exception {
    publish("before");
    redis.stop();
    await().atMost(WAIT).until(() -> gauge("ssekit.redis.reachable") == 0);
    int failed = 0;
    for (int i = 0; i < 4; i++) {
      assertThat(publishFailure("down " + i)).isInstanceOf(RedisUnavailableException.class);
      failed++;
    }
    assertThat(counter("ssekit.redis.unavailable", "operation", "publish")).isEqualTo(failed);
    assertThat(counter("ssekit.redis.unavailable", "operation", "replay")).isZero();
    await().atMost(WAIT).until(() -> lag().compareTo(Duration.ofMillis(500)) > 0);
    assertThat(counter("ssekit.redis.reader.reconnects")).isZero();

    redis.restart();

    await().atMost(WAIT).until(() -> gauge("ssekit.redis.reachable") == 1);
    await().atMost(WAIT).until(() -> counter("ssekit.redis.reader.reconnects") >= 1);
    assertThat(counter("ssekit.redis.reader.reconnects")).isEqualTo(1);
    publish("after");
    await().atMost(WAIT).until(() -> lag().compareTo(Duration.ofMillis(700)) < 0);
  }

  @Test
  void eightMetersPerLogAllTaggedWithTheLogAndClosingRemovesThem() {
    List<Meter> meters = registry.getMeters();
    assertThat(meters).hasSize(8);
    assertThat(meters).allSatisfy(m -> assertThat(m.getId().getTag("log")).isEqualTo("metered"));
    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
    assertThatThrownBy(() -> metrics.bindTo(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("RedisLogMetrics@metered is closed: build a new one");
  }

  private void publish(String data) throws Exception {
    hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Throwable publishFailure(String data) throws Exception {
    try {
      hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("published " + data + " while Redis was down");
  }
}
