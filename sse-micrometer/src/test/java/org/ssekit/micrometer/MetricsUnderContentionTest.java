package org.ssekit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ssekit.micrometer.JettyFixture.TIMEOUT;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ssekit.HubStats;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.testkit.RawSseClient;

/** Many publishers, subscribers vanishing meanwhile: the counts add up at the end. */
class MetricsUnderContentionTest {
  @Test
  void countsAreConsistentAfterRacingPublishersAndVanishingSubscribers() throws Exception {
    int publishers = 4;
    int eventsEach = 250;
    int staying = 4;
    int vanishing = 4;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExecutorService pool = Executors.newFixedThreadPool(publishers + 1);
    try (JettyFixture fixture =
            new JettyFixture(
                SseHub.builder()
                    .name("race")
                    .maxQueuedBytes(16L * 1024 * 1024)
                    .shutdownTimeout(Duration.ofMillis(500))
                    .build());
        SseHubMetrics metrics =
            SseHubMetrics.builder(fixture.hub)
                .statsMaxAge(Duration.ZERO)
                .sampleEveryNthEvent(7)
                .build()) {
      metrics.bindTo(registry);
      List<RawSseClient> stay = new ArrayList<>();
      List<RawSseClient> vanish = new ArrayList<>();
      for (int i = 0; i < staying; i++) {
        stay.add(fixture.connect("t"));
      }
      for (int i = 0; i < vanishing; i++) {
        vanish.add(fixture.connect("t"));
      }
      await().atMost(TIMEOUT).until(() -> fixture.hub.subscriberCount("t") == staying + vanishing);

      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        int publisher = p;
        running.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < eventsEach; i++) {
                    fixture
                        .hub
                        .publish("t", ServerSentEvent.of(publisher + "-" + i))
                        .toCompletableFuture()
                        .join();
                  }
                  return null;
                }));
      }
      running.add(
          pool.submit(
              () -> {
                start.await();
                for (RawSseClient client : vanish) {
                  client.close();
                }
                return null;
              }));
      start.countDown();
      for (Future<?> each : running) {
        each.get(30, TimeUnit.SECONDS);
      }
      int published = publishers * eventsEach;
      for (RawSseClient client : stay) {
        for (int i = 0; i < published; i++) {
          assertThat(client.poll(TIMEOUT)).as("event " + i).isNotNull();
        }
      }
      // The vanished streams end as client gone, at the latest with the next keep-alive.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fixture.hub.subscriberCount("t") == staying);

      HubStats stats = fixture.hub.stats();
      double delivered = registry.get("ssekit.events.delivered").functionCounter().count();
      assertThat(registry.get("ssekit.events.published").functionCounter().count())
          .isEqualTo(published);
      assertThat(delivered)
          .as("every staying subscriber got every event; the vanished ones at most all")
          .isBetween((double) staying * published, (double) (staying + vanishing) * published);
      assertThat(delivered).isEqualTo(stats.eventsDelivered());
      assertThat(stats.streamsOpened()).isEqualTo(staying + vanishing);
      assertThat(stats.streamsOpened() - stats.streamsClosed()).isEqualTo(stats.subscribers());
      assertThat(stats.streamsClosed()).isEqualTo(vanishing);
      assertThat(registry.get("ssekit.delivery.latency").timer().count())
          .as("sampled deliveries only")
          .isPositive()
          .isLessThanOrEqualTo((long) Math.ceil(published / 7.0) * (staying + vanishing));
    } finally {
      pool.shutdownNow();
      registry.close();
    }
  }
}
