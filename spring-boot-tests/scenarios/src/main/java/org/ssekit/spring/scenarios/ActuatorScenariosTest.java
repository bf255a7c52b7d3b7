package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.testkit.RawSseClient;

/**
 * With Spring Boot Actuator: the {@code ssekit} health indicator, and what Boot's {@code
 * http.server.requests} records for a stream (documented in the starter's README).
 */
@SpringBootTest(
    classes = ScenarioApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ssekit.name=watched",
      "management.endpoints.web.exposure.include=health",
      "management.endpoint.health.show-details=always"
    })
class ActuatorScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;
  @Autowired MeterRegistry registry;

  @Test
  void healthShowsTheOpenHub() throws Exception {
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + Scenarios.port(context)
                                + "/actuator/health/ssekit"))
                    .timeout(WAIT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"status\":\"UP\"")
        .contains("\"hub\":\"watched\"")
        .contains("\"state\":\"open\"");
  }

  @Test
  void theHubsMetersAreBoundToBootsRegistry() throws Exception {
    Gauge open = registry.find("ssekit.streams.open").tag("hub", "watched").gauge();
    assertThat(open).as("ssekit.streams.open{hub=watched}").isNotNull();
    double before = open.value();
    try (RawSseClient client = RawSseClient.get(Scenarios.port(context), "/rooms/gauged")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      Awaitility.await().atMost(WAIT).until(() -> open.value() > before);
    }
  }

  @Test
  void aStreamIsAnActiveRequestUntilItEndsThenOneTimingOfItsWholeLife() throws Exception {
    Timer before = streamTimer();
    long countBefore = before == null ? 0 : before.count();
    long openNanos;
    long tickNanos;
    try (RawSseClient client = RawSseClient.get(Scenarios.port(context), "/rooms/metered")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      openNanos = client.headersNanos();
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("rooms/metered") == 1);
      LongTaskTimer active = registry.find("http.server.requests.active").longTaskTimer();
      assertThat(active).as("http.server.requests.active").isNotNull();
      assertThat(active.activeTasks()).as("the open stream is an active request").isPositive();
      hub.publish("rooms/metered", ServerSentEvent.of("tick"));
      assertThat(client.poll(WAIT)).isNotNull();
      // The request was certainly still open when the event arrived: a lower bound of its life
      // that does not depend on how late this thread sees the end (it did not on a loaded host).
      tickNanos = System.nanoTime();
      hub.closeTopic("rooms/metered").toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(client.awaitEnd(WAIT)).isTrue();
    }
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> streamTimer() != null && streamTimer().count() == countBefore + 1);
    Timer timer = streamTimer();
    assertThat(timer.getId().getTag("status")).isEqualTo("200");
    assertThat(timer.max(TimeUnit.NANOSECONDS))
        .as("recorded when the stream ended, with its whole duration")
        .isGreaterThanOrEqualTo(tickNanos - openNanos);
  }

  private Timer streamTimer() {
    return registry.find("http.server.requests").tag("uri", "/rooms/{room}").timer();
  }
}
