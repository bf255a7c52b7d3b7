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

  @Test
  void clusterBuilderTakesSeedNodesAsLettucesClusterClientDoes() {
    RedisEventLog.Config config =
        RedisEventLog.clusterBuilder("redis://:s3cret@node1:7000,node2:7001").toConfig();

    assertThat(config.cluster()).isTrue();
    assertThat(config.seeds()).extracting(RedisURI::getHost).containsExactly("node1", "node2");
    assertThat(config.seeds()).extracting(RedisURI::getPort).containsExactly(7000, 7001);
    assertThat(config.uri().getHost()).isEqualTo("node1");
    assertThat(config.toString())
        .contains("redis=cluster node1:7000,node2:7001")
        .doesNotContain("s3cret");
    assertThat(config.toBuilder().toConfig().cluster()).isTrue();
    assertThat(RedisEventLog.builder("redis://localhost").toConfig().cluster()).isFalse();
    RedisURI seed = RedisURI.create("redis://node3:7002");
    RedisEventLog.Builder fromList = RedisEventLog.clusterBuilder(java.util.List.of(seed));
    seed.setPort(1);
    assertThat(fromList.toConfig().seeds().get(0).getPort()).isEqualTo(7002);
  }

  @Test
  void clusterSeedsThatAreNotNodeUrisAreRefusedNamingTheRule() {
    String rule =
        "seeds must be redis:// or rediss:// URIs of Redis Cluster nodes, database 0"
            + " (redis://host1:7000,host2:7001): ";
    assertThatThrownBy(() -> RedisEventLog.clusterBuilder("redis-sentinel://s1:26379#mymaster"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(rule + "the scheme is redis-sentinel");
    assertThatThrownBy(() -> RedisEventLog.clusterBuilder("redis://node1:7000/3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(rule + "it names a database");
    assertThatThrownBy(
            () ->
                RedisEventLog.clusterBuilder(
                    java.util.List.of(RedisURI.create("redis-sentinel://s1:26379#mymaster"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(rule + "seed 0 is a Sentinel URI");
    assertThatThrownBy(() -> RedisEventLog.clusterBuilder(java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(rule + "no seed");
    assertThatThrownBy(() -> RedisEventLog.clusterBuilder("http://:s3cret@node1:7000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(rule)
        .hasMessageNotContaining("s3cret")
        .hasNoCause();
  }

  @Test
  void anEmptyKeyPrefixIsRefusedOnAClusterWhereItIsTheHashTag() {
    assertThatThrownBy(() -> RedisEventLog.clusterBuilder("redis://node1:7000").keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "keyPrefix must not be empty on a Redis Cluster: it is the hash tag of the log's keys");
    assertThat(RedisEventLog.builder("redis://localhost").keyPrefix("").toConfig().keyPrefix())
        .isEmpty();
  }
}
