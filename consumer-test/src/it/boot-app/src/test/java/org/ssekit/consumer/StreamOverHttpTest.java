package org.ssekit.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.EventSource;
import org.ssekit.client.EventSourceListener;
import org.ssekit.client.ReceivedEvent;

/** The installed starter, in an application of its own: a stream opens and an event arrives. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamOverHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @LocalServerPort int port;
  @Autowired SseHub hub;

  @Test
  void aPublishedEventReachesAClientOfTheStream() throws Exception {
    BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
    EventSource source =
        EventSource.builder(URI.create("http://127.0.0.1:" + port + "/news"))
            .connect(
                new EventSourceListener() {
                  @Override
                  public void onEvent(EventSource source, ReceivedEvent event) {
                    events.add(event);
                  }
                });
    try {
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("news") == 1);
      String id =
          hub.publish("news", ServerSentEvent.builder().event("headline").data("hello").build())
              .toCompletableFuture()
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      ReceivedEvent event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(event).as("the published event, over HTTP").isNotNull();
      assertThat(event.type()).isEqualTo("headline");
      assertThat(event.data()).isEqualTo("hello");
      assertThat(event.lastEventId()).isEqualTo(id);
    } finally {
      source.close();
    }
  }
}
