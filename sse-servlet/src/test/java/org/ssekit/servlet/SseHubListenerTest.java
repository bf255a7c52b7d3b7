package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ssekit.SseHub;

/** How {@link SseHubListener} reads the context init parameters that tune the hub. */
class SseHubListenerTest {
  private static SseHub.Builder configure(Map<String, String> parameters) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (proxy, method, arguments) -> {
                  if (method.getName().equals("getInitParameter")) {
                    return parameters.get((String) arguments[0]);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return new SseHubListener().configure(SseHub.builder(), context);
  }

  @Test
  void initParametersTuneTheHub() {
    SseHub.Config config =
        configure(
                Map.of(
                    "ssekit.keepAliveSeconds", " 20 ",
                    "ssekit.stallTimeoutSeconds", "40",
                    "ssekit.maxQueuedBytes", "4194304",
                    "ssekit.maxSubscribers", "2147483647"))
            .toConfig();
    assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.stallTimeout()).isEqualTo(Duration.ofSeconds(40));
    assertThat(config.maxQueuedBytes()).isEqualTo(4_194_304L);
    assertThat(config.maxSubscribers()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aNumberTooLargeForTheSettingIsAnIllegalArgumentNamingTheParameter() {
    assertThatThrownBy(() -> configure(Map.of("ssekit.maxSubscribers", "3000000000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ssekit.maxSubscribers > 2147483647: 3000000000");
  }

  @Test
  void aNumberBelowOneIsAnIllegalArgumentNamingTheParameter() {
    assertThatThrownBy(() -> configure(Map.of("ssekit.maxQueuedBytes", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ssekit.maxQueuedBytes < 1: 0");
    assertThatThrownBy(() -> configure(Map.of("ssekit.keepAliveSeconds", "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ssekit.keepAliveSeconds < 1: -5");
  }

  @Test
  void aValueThatIsNotAWholeNumberIsAnIllegalArgumentNamingTheParameter() {
    assertThatThrownBy(() -> configure(Map.of("ssekit.stallTimeoutSeconds", "30s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ssekit.stallTimeoutSeconds is not a whole number: 30s")
        .hasCauseInstanceOf(NumberFormatException.class);
  }
}
