package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.testkit.RedisServer;

/**
 * With {@code ssekit.redis.uri} on a real redis-server owned by the test class: the {@code ssekit}
 * health indicator is DOWN, saying why, while Redis is stopped and UP once it is back, and the
 * Redis log's meters are on Boot's registry and its {@code /actuator/metrics} endpoint.
 */
@ExtendWith(RedisServer.Required.class)
@SpringBootTest(
    classes = ScenarioApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ssekit.name=redisWatched",
      "ssekit.redis.key-prefix=actuator-scenario:",
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always"
    })
// The context must not outlive its Redis in Spring's context cache.
@DirtiesContext
class RedisActuatorScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static RedisServer redis;

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;
  @Autowired MeterRegistry registry;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @DynamicPropertySource
  static void redisUri(DynamicPropertyRegistry properties) {
    properties.add("ssekit.redis.uri", () -> redis.uri());
  }

  @Test
  void healthIsDownSayingWhyWhileRedisIsStoppedAndUpOnceItIsBack() throws Exception {
    assertThat(context.getBean(RedisEventLog.class))
        .as("the log ssekit.redis.uri built")
        .isNotNull();
    HttpResponse<String> up = get("/actuator/health/ssekit");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body())
        .contains("\"status\":\"UP\"")
        .contains("\"hub\":\"redisWatched\"")
        .contains("\"redis\":\"reachable\"");
    double reconnectsBefore = meter("ssekit.redis.reader.reconnects").functionCounter().count();

    redis.stop();
    try {
      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                HttpResponse<String> down = get("/actuator/health/ssekit");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body())
                    .contains("\"status\":\"DOWN\"")
                    .contains("\"state\":\"open\"")
                    .contains("\"redis\":\"unreachable\"")
                    .contains("\"redisReason\":")
                    .contains("127.0.0.1:" + redis.port());
              });
      assertThat(get("/actuator/health/ssekit").body()).doesNotContain(redis.uri());
      assertThat(meter("ssekit.redis.reachable").gauge().value()).isZero();
    } finally {
      redis.restart();
    }

    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HttpResponse<String> back = get("/actuator/health/ssekit");
              assertThat(back.statusCode()).isEqualTo(200);
              assertThat(back.body())
                  .contains("\"status\":\"UP\"")
                  .contains("\"redis\":\"reachable\"");
            });
    assertThat(meter("ssekit.redis.reachable").gauge().value()).isEqualTo(1);
    FunctionCounter reconnects = meter("ssekit.redis.reader.reconnects").functionCounter();
    Awaitility.await().atMost(WAIT).until(() -> reconnects.count() >= reconnectsBefore + 1);
    assertThat(reconnects.count()).as("one restart, one reconnect").isEqualTo(reconnectsBefore + 1);
  }

  @Test
  void theRedisLogsMetersAreOnBootsRegistryAndMoveWithPublishes() throws Exception {
    FunctionTimer latency = meter("ssekit.redis.publish.latency").functionTimer();
    assertThat(latency.getId().getTag("log")).isEqualTo("redisWatched");
    TimeGauge lag = meter("ssekit.redis.reader.lag").timeGauge();
    Gauge reachable = meter("ssekit.redis.reachable").gauge();
    for (String operation : new String[] {"publish", "replay"}) {
      assertThat(
              registry
                  .get("ssekit.redis.unavailable")
                  .tag("hub", "redisWatched")
                  .tag("operation", operation)
                  .functionCounters())
          .as("ssekit.redis.unavailable{operation=%s}", operation)
          .hasSize(1);
    }
    double before = latency.count();
    double entriesBefore = meter("ssekit.redis.reader.entries").functionCounter().count();

    for (int i = 0; i < 3; i++) {
      publishOnceReachable("e" + i);
    }

    Awaitility.await().atMost(WAIT).until(() -> latency.count() >= before + 3);
    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(meter("ssekit.redis.reader.entries").functionCounter().count())
        .isGreaterThanOrEqualTo(entriesBefore + 3);
    assertThat(reachable.value()).isEqualTo(1);
    assertThat(lag.value(TimeUnit.SECONDS)).isLessThan(WAIT.toSeconds());

    HttpResponse<String> metric = get("/actuator/metrics/ssekit.redis.publish.latency");
    assertThat(metric.statusCode()).isEqualTo(200);
    assertThat(metric.body()).contains("\"COUNT\"").contains("redisWatched");
  }

  private io.micrometer.core.instrument.search.RequiredSearch meter(String name) {
    return registry.get(name).tag("hub", "redisWatched").tag("log", "redisWatched");
  }

  /** Publishes, waiting for the log to be reachable (the other test restarts Redis). */
  private void publishOnceReachable(String data) {
    Awaitility.await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              hub.publish("rooms/metered", ServerSentEvent.of(data))
                  .toCompletableFuture()
                  .get(5, TimeUnit.SECONDS);
              return true;
            });
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Scenarios.port(context) + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
