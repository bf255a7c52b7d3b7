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
import org.springframework.core.annotation.Order;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.spring.SseHubCustomizer;
import org.ssekit.testkit.RawSseClient;

/**
 * {@link SseHubCustomizer} beans change the auto-configured hub after the properties, in order: one
 * turns on presence (which no property sets), a later one overrides a property's keep-alive.
 */
@SpringBootTest(
    classes = {ScenarioApplication.class, HubCustomizerScenariosTest.Customizers.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"ssekit.name=customized", "ssekit.keep-alive=7s"})
class HubCustomizerScenariosTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Two customizers; the later one in order sees and overrides the property. */
  @Configuration(proxyBeanMethods = false)
  static class Customizers {
    @Bean
    @Order(2)
    SseHubCustomizer laterKeepAlive() {
      return hub -> hub.keepAlive(Duration.ofSeconds(9));
    }

    @Bean
    @Order(1)
    SseHubCustomizer presence() {
      return hub -> hub.keepAlive(Duration.ofSeconds(8)).presenceTopics(Selection.of("news"));
    }
  }

  @Autowired ApplicationContext context;
  @Autowired SseHub hub;

  @Test
  void customizersRunAfterThePropertiesInOrder() {
    assertThat(hub.config().name()).as("the property still applies").isEqualTo("customized");
    assertThat(hub.config().keepAlive()).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void aCustomizerCanSetWhatNoPropertySets() throws Exception {
    assertThat(hub.config().presenceTopics()).contains(Selection.of("news"));
    try (RawSseClient client = RawSseClient.get(Scenarios.port(context), "/news")) {
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      Awaitility.await().atMost(WAIT).until(() -> hub.subscriberCount("news") == 1);
    }
  }
}
