package org.ssekit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ssekit.CloseReason;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.SubscriptionRefusedException;
import org.ssekit.WriteCallback;

/** Tag cardinality stays bounded whatever the number of topics. */
class BoundedMetersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A transport whose writes complete at once: a unit, not a container. */
  static final class InstantTransport implements SseTransport {
    @Override
    public void write(List<byte[]> chunks, WriteCallback callback) {
      callback.succeeded();
    }

    @Override
    public void close(CloseReason reason) {}
  }

  private static int meters(SimpleMeterRegistry registry) {
    return registry.getMeters().size();
  }

  @Test
  void aHubWithAThousandTopicsHasAsManyMetersAsAHubWithOne() {
    int fixedMeters =
        3 // gauges
            + 7 // event and stream counters
            + CloseReason.values().length
            + SubscriptionRefusedException.Reason.values().length
            + 1; // the latency timer
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SseHub hub = SseHub.builder().name("many").build();
        SseHubMetrics metrics =
            SseHubMetrics.builder(hub).sampleEveryNthEvent(1).tags(Tags.of("app", "t")).build()) {
      metrics.bindTo(registry);
      assertThat(meters(registry)).isEqualTo(fixedMeters);
      for (int i = 0; i < 1000; i++) {
        hub.subscribe("topic-" + i, null, new InstantTransport(), SseListener.NONE);
        hub.publish("topic-" + i, ServerSentEvent.of("e")).toCompletableFuture().join();
      }
      await().atMost(TIMEOUT).until(() -> hub.stats().eventsDelivered() == 1000);
      assertThat(meters(registry)).isEqualTo(fixedMeters);
      assertThat(registry.get("ssekit.topics").gauge().value()).isEqualTo(1000);
      Set<String> tagKeys =
          registry.getMeters().stream()
              .flatMap(meter -> meter.getId().getTags().stream())
              .map(tag -> tag.getKey())
              .collect(Collectors.toSet());
      assertThat(tagKeys).containsExactlyInAnyOrder("hub", "app", "reason");
    }
  }

  @Test
  void topicGroupsTagTheTimerWithAtMostTheBoundOnGroups() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SseHub hub = SseHub.builder().name("groups").build();
        SseHubMetrics metrics =
            SseHubMetrics.builder(hub)
                .sampleEveryNthEvent(1)
                .topicGroups(topic -> topic.startsWith("room-") ? topic : null, 3)
                .build()) {
      metrics.bindTo(registry);
      for (int i = 0; i < 100; i++) {
        String topic = (i % 2 == 0 ? "room-" : "ticker-") + i;
        hub.subscribe(topic, null, new InstantTransport(), SseListener.NONE);
        hub.publish(topic, ServerSentEvent.of("e")).toCompletableFuture().join();
      }
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  registry.find("ssekit.delivery.latency").timers().stream()
                          .mapToLong(Timer::count)
                          .sum()
                      == 100);
      List<Meter.Id> timers =
          registry.find("ssekit.delivery.latency").timers().stream().map(Timer::getId).toList();
      assertThat(timers.stream().map(id -> id.getTag("group")))
          .as("three room groups, then the rest as other")
          .hasSize(4)
          .contains(SseHubMetrics.OTHER_GROUP);
      assertThat(registry.get("ssekit.delivery.latency").tag("group", "other").timer().count())
          .isEqualTo(100 - 3);
    }
  }
}
