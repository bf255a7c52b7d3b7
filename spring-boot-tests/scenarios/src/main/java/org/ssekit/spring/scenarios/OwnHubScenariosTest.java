package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.testkit.RawSseClient;

/** The application's own {@link SseHub} bean wins over the auto-configured one, and serves. */
@SpringBootTest(
    classes = {ScenarioApplication.class, OwnHubScenariosTest.OwnHub.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ssekit.name=ignored")
class OwnHubScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** The application's hub. */
  @Configuration(proxyBeanMethods = false)
  static class OwnHub {
    @Bean
    SseHub ownHub() {
      return SseHub.builder().name("own").keepAlive(Duration.ofSeconds(3)).build();
    }
  }

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;
  @Autowired ServletStreams streams;

  @Test
  void applicationHubIsTheOnlyHubAndStreamsUseIt() {
    assertThat(context.getBeansOfType(SseHub.class)).containsOnlyKeys("ownHub");
    assertThat(hub.config().name()).isEqualTo("own");
    assertThat(streams.hub()).isSameAs(hub);
  }

  @Test
  void streamsOfTheApplicationHubReceiveItsEvents() throws Exception {
    try (RawSseClient client = RawSseClient.get(Scenarios.port(context), "/news")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("news") == 1);
      hub.publish("news", ServerSentEvent.of("from the own hub"));
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.data()).isEqualTo("from the own hub");
    }
  }
}
