package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ssekit.Retention;

/** The builder's checks and defaults; needs no Redis. */
class RedisEventLogBuilderTest {
  @Test
  void defaultsAreDocumented() {
    RedisEventLog.Config config = RedisEventLog.builder("redis://localhost:6379").toConfig();

    assertThat(config.keyPrefix()).isEqualTo("sse:");
    assertThat(config.name()).isEqualTo("log");
    assertThat(config.retention()).isSameAs(Retention.defaults());
    assertThat(config.closedTopicTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.readBlock()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.uri().getHost()).isEqualTo("localhost");
  }

  @Test
  void keyPrefixWithBracesIsRefusedBecauseTopicsAreHashTags() {
    assertThatThrownBy(() -> RedisEventLog.builder("redis://localhost").keyPrefix("app{1}:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not contain { or }: app{1}:");
  }

  @Test
  void settingsOutOfRangeNameTheSetting() {
    RedisEventLog.Builder builder = RedisEventLog.builder("redis://localhost");

    assertThatThrownBy(() -> builder.commandTimeout(Duration.ZERO))
        .hasMessage("commandTimeout < 1 ms: PT0S");
    assertThatThrownBy(() -> builder.readBlock(Duration.ofMinutes(2)))
        .hasMessage("readBlock > PT1M: PT2M");
    assertThatThrownBy(() -> builder.closedTopicTtl(Duration.ofSeconds(-1)))
        .hasMessage("closedTopicTtl < 1 ms: PT-1S");
    assertThatThrownBy(() -> builder.name("has space"))
        .hasMessage("name must be 1-32 chars of [A-Za-z0-9_.-]: has space");
    assertThatThrownBy(() -> builder.keyPrefix("x".repeat(129)))
        .hasMessage("keyPrefix longer than 128 chars: length 129");
    assertThatThrownBy(() -> builder.retention(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retention");
  }

  @Test
  void passwordsAreNeverEchoed() {
    assertThatThrownBy(() -> RedisEventLog.builder("http://:s3cret@localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("uri is not a Redis URI")
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
    RedisEventLog.Builder builder = RedisEventLog.builder("redis://:s3cret@localhost:6390");
    assertThat(builder.toString()).contains("redis=localhost:6390").doesNotContain("s3cret");
  }

  @Test
  void aGivenRedisUriIsCopied() {
    RedisURI uri = RedisURI.create("redis://localhost:6379");
    RedisEventLog.Builder builder = RedisEventLog.builder(uri);
    uri.setPort(1);

    assertThat(builder.toConfig().uri().getPort()).isEqualTo(6379);
  }

  @Test
  void configIsAValueThatLaterBuilderChangesDoNotReach() {
    RedisEventLog.Builder builder = RedisEventLog.builder("redis://localhost").name("first");
    RedisEventLog.Config config = builder.toConfig();
    builder.name("second");
    config.uri().setPort(1);

    assertThat(config.name()).isEqualTo("first");
    assertThat(config.uri().getPort()).isEqualTo(6379);
    RedisEventLog.Config variant = config.toBuilder().readBlock(Duration.ofSeconds(1)).toConfig();
    assertThat(variant.readBlock()).isEqualTo(Duration.ofSeconds(1));
    assertThat(variant.name()).isEqualTo("first");
    assertThat(config.readBlock()).isEqualTo(Duration.ofMillis(500));
    assertThat(variant.toString()).isEqualTo(variant.toBuilder().toConfig().toString());
  }
}
