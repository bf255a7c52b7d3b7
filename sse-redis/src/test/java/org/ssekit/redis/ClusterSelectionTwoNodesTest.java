package org.ssekit.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link SelectionTwoNodesTest} on a Redis Cluster: selections, with two nodes whose logs live in
 * the one slot of their key prefix, reached through Lettuce's cluster client.
 */
@ExtendWith(ClusterRedis.class)
class ClusterSelectionTwoNodesTest extends SelectionTwoNodesTest {
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
}
