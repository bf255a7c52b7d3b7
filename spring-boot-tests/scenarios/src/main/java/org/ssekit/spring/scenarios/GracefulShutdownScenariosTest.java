package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.ssekit.SseHub;
import org.ssekit.testkit.HttpSseClient;

/**
 * With {@code server.shutdown=graceful}, closing the application with 1,000 open streams takes
 * seconds, not the 30 s shutdown phase timeout: the hub closes first, so every stream gets its
 * jittered {@code retry:} and ends, and the graceful shutdown finds no request left to wait for.
 */
class GracefulShutdownScenariosTest {
  private static final int STREAMS = 1_000;
  private static final int BATCH = 100; // under the containers' accept backlog

  @Test
  void thousandOpenStreamsEndWithARetryAndTheShutdownTakesSeconds() throws Exception {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ScenarioApplication.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "server.shutdown=graceful",
                "spring.lifecycle.timeout-per-shutdown-phase=30s",
                "ssekit.shutdown-retry-min=1s",
                "ssekit.shutdown-retry-max=3s")
            .run();
    List<HttpSseClient> clients = new ArrayList<>(STREAMS);
    try {
      Scenarios.assertServedByExpectedContainer(context);
      SseHub hub = context.getBean(SseHub.class);
      URI uri = URI.create("http://127.0.0.1:" + Scenarios.port(context) + "/news");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int opened = 0; opened < STREAMS; opened += BATCH) {
        List<HttpSseClient> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
          batch.add(HttpSseClient.get(http, uri));
        }
        for (HttpSseClient client : batch) {
          assertThat(client.awaitHeaders(Duration.ofSeconds(20)).statusCode()).isEqualTo(200);
        }
        clients.addAll(batch);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> hub.subscriberCount("news") == STREAMS);

      long startNanos = System.nanoTime();
      context.close();
      Duration shutdown = Duration.ofNanos(System.nanoTime() - startNanos);

      assertThat(shutdown)
          .as("graceful shutdown with %d open streams", STREAMS)
          .isLessThan(Duration.ofSeconds(10));
      CompletableFuture.allOf(
              clients.stream().map(HttpSseClient::ended).toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
      for (HttpSseClient client : clients) {
        Long retry = client.pollRetry(Duration.ofSeconds(1));
        assertThat(retry).as("the shutdown retry: of every stream").isBetween(1_000L, 3_000L);
      }
    } finally {
      clients.forEach(HttpSseClient::close);
      context.close();
    }
  }
}
