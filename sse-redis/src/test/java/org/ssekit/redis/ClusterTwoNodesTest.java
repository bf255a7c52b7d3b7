package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.testkit.RedisCluster;

/**
 * {@link TwoNodesTest} on a Redis Cluster: two nodes whose logs live in the one slot of their key
 * prefix, reached through Lettuce's cluster client.
 */
@ExtendWith(ClusterRedis.class)
class ClusterTwoNodesTest extends TwoNodesTest {
  /**
   * Shadows the standalone server of {@link SharedRedisTest}: the cluster is {@link ClusterRedis}.
   */
  @BeforeAll
  static void startRedis() {}

  /** Shadows {@link SharedRedisTest#stopRedis()}: the shared cluster outlives this class. */
  @AfterAll
  static void stopRedis() {}

  @Override
  RedisEventLog.Builder redis() {
    return ClusterRedis.builder();
  }

  @Test
  void everyKeyOfTheLogIsInTheOneSlotOfItsBracedPrefixOnThatSlotsMaster() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    a.publish("room", ServerSentEvent.of("e1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    b.closeTopic("room").toCompletableFuture().get(5, TimeUnit.SECONDS);
    a.closeStreamsOf("someone"); // a revocation: an entry in the control stream

    RedisCluster cluster = ClusterRedis.cluster();
    String tag = "{" + nodes.keyPrefix() + "}";
    int slot = cluster.slotOf(tag);
    int master = cluster.masterOf(slot);
    for (String key :
        List.of(tag + "log", tag + "log:n", tag + "{room}", tag + "{room}:m", tag + "presence")) {
      assertThat(cluster.slotOf(key)).as(key).isEqualTo(slot);
      assertThat(cluster.call(master, "EXISTS", key)).as(key + " exists").isEqualTo("1");
    }
    org.awaitility.Awaitility.await()
        .until(() -> "1".equals(cluster.call(master, "EXISTS", tag + "ctl")));
  }
}
