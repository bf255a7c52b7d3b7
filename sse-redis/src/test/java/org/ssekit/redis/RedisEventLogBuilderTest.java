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
    RedisEventLog.Builder builder = RedisEventLog.builder("redis://localhost:6379");

    assertThat(builder.keyPrefix()).isEqualTo("sse:");
    assertThat(builder.name()).isEqualTo("log");
    assertThat(builder.retention()).isSameAs(Retention.defaults());
    assertThat(builder.closedTopicTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(builder.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(builder.readBlock()).isEqualTo(Duration.ofMillis(500));
    assertThat(builder.uri().getHost()).isEqualTo("localhost");
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

    assertThat(builder.uri().getPort()).isEqualTo(6379);
  }
}
