package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.ssekit.OverflowPolicy;
import org.ssekit.SseHub;
import org.ssekit.UnknownIdPolicy;
import org.ssekit.spring.SsekitAutoConfiguration;

/**
 * {@code ssekit.*} bind to the hub, and a value the hub's builders refuse fails the start with
 * their message, prefixed by the property's name. No web server: the auto-configuration alone.
 */
class PropertyBindingScenariosTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(SsekitAutoConfiguration.class);

  @Test
  void relaxedNamesAndUnitsBind() {
    runner
        .withPropertyValues(
            "ssekit.name=bound",
            "ssekit.keep-alive=250ms",
            "ssekit.max-queued-bytes=2MB",
            "ssekit.overflow-policy=DROP_OLDEST",
            "ssekit.unknown-id-policy=live",
            "ssekit.max-subscribers=10",
            "ssekit.max-selection-size=8",
            "ssekit.initial-retry=3s",
            "ssekit.shutdown-retry-max=20s",
            "ssekit.delivery-threads=1",
            "ssekit.retention.max-events=5",
            "ssekit.retention.max-age=1m")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SseHub.Config config = context.getBean(SseHub.class).config();
              assertThat(config.name()).isEqualTo("bound");
              assertThat(config.keepAlive()).isEqualTo(Duration.ofMillis(250));
              assertThat(config.maxQueuedBytes()).isEqualTo(2L * 1024 * 1024);
              assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
              assertThat(config.unknownIdPolicy()).isEqualTo(UnknownIdPolicy.LIVE);
              assertThat(config.maxSubscribers()).isEqualTo(10);
              assertThat(config.maxSelectionSize()).isEqualTo(8);
              assertThat(config.initialRetry()).isEqualTo(Duration.ofSeconds(3));
              assertThat(config.shutdownRetryMin()).isEqualTo(Duration.ofSeconds(1));
              assertThat(config.shutdownRetryMax()).isEqualTo(Duration.ofSeconds(20));
              assertThat(config.deliveryThreads()).isEqualTo(1);
            });
  }

  @Test
  void unsetPropertiesKeepTheBuilderDefaults() {
    runner.run(
        context -> {
          SseHub.Config config = context.getBean(SseHub.class).config();
          SseHub.Config defaults = SseHub.builder().toConfig();
          assertThat(config.keepAlive()).isEqualTo(defaults.keepAlive());
          assertThat(config.maxQueuedBytes()).isEqualTo(defaults.maxQueuedBytes());
          assertThat(config.shutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
        });
  }

  @Test
  void refusedValuesFailTheStartNamingTheProperty() {
    assertStartFails("ssekit.keep-alive=0s", "ssekit.keep-alive is invalid: keepAlive <= 0: PT0S");
    assertStartFails(
        "ssekit.max-queued-bytes=0", "ssekit.max-queued-bytes is invalid: maxQueuedBytes < 1: 0");
    assertStartFails("ssekit.name=no spaces", "ssekit.name is invalid: name must be 1-32 chars");
    assertStartFails(
        "ssekit.retention.max-events=-1",
        "ssekit.retention.max-events is invalid: maxEvents < 0: -1");
    assertStartFails(
        "ssekit.shutdown-retry-min=30s", "ssekit.shutdown-retry-min/max is invalid: shutdownRetry");
  }

  @Test
  void redisUriWithoutSseRedisFailsTheStart() {
    runner
        .withClassLoader(new FilteredClassLoader("org.ssekit.redis."))
        .withPropertyValues("ssekit.redis.uri=redis://127.0.0.1:1")
        .run(
            context ->
                assertThat(rootCause(context.getStartupFailure()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                        "ssekit.redis.uri is set but org.ssekit:sse-redis is not on the class"
                            + " path: add it, or unset ssekit.redis.uri"));
  }

  @Test
  void malformedRedisUriFailsTheStartWithoutEchoingIt() {
    runner
        .withPropertyValues("ssekit.redis.uri=http://user:secret@host")
        .run(
            context -> {
              Throwable named = namedCause(context.getStartupFailure());
              assertThat(named).hasMessageStartingWith("ssekit.redis.uri is invalid: ");
              for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                assertThat(t.getMessage() + "").doesNotContain("secret");
              }
            });
  }

  private void assertStartFails(String property, String messageStart) {
    runner
        .withPropertyValues(property)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              Throwable named = namedCause(failure);
              assertThat(named).as("a cause naming the property, in %s", failure).isNotNull();
              assertThat(named)
                  .isInstanceOf(IllegalArgumentException.class)
                  .hasMessageStartingWith(messageStart);
            });
  }

  /** Returns the first cause whose message names an ssekit property, or null. */
  private static Throwable namedCause(Throwable failure) {
    Throwable named = failure;
    while (named != null && !(named.getMessage() + "").startsWith("ssekit.")) {
      named = named.getCause();
    }
    return named;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
