package org.ssekit.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.testkit.RedisServer;

/**
 * Tests of several server nodes on one {@code redis-server} that lives as long as the test class:
 * each test gets {@link #nodes} of its own (a key prefix of its own), closed after the test, which
 * checks that none of their threads outlived them. Subclasses release what they opened around that
 * with {@link #beforeClosingNodes()} and {@link #afterClosingNodes()}. Subclasses that run the same
 * tests on a Redis Cluster ({@link ClusterTwoNodesTest}) shadow {@link #startRedis()} and {@link
 * #stopRedis()} and override {@link #redis()}.
 */
@ExtendWith(RedisServer.Required.class)
abstract class SharedRedisTest {
  private static RedisServer redis;

  /** The current test's nodes. */
  Nodes nodes;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }

  @BeforeEach
  void createNodes() {
    nodes = new Nodes(this::redis);
  }

  /** Returns a builder of a log on this class's Redis. */
  RedisEventLog.Builder redis() {
    return RedisEventLog.builder(redis.uri());
  }

  @AfterEach
  void closeNodes() throws Exception {
    beforeClosingNodes();
    nodes.close();
    afterClosingNodes();
  }

  /** Releases what must go before the nodes close, such as clients and executors. */
  void beforeClosingNodes() throws Exception {}

  /** Releases what must go after the nodes closed, such as servers whose streams they end. */
  void afterClosingNodes() throws Exception {}
}
