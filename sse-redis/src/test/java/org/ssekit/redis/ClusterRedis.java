package org.ssekit.redis;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.ssekit.testkit.RedisCluster;

/**
 * The one Redis Cluster that the test classes running the shared tests on a cluster use: started by
 * the first of them ({@code @ExtendWith(ClusterRedis.class)}), and stopped at the end of the test
 * run, failed tests or not (JUnit closes what its root store holds). Tests share it without sharing
 * data: each uses a key prefix of its own. Tests that kill nodes start a cluster of their own.
 *
 * <p><b>Thread safety:</b> JUnit calls it on the test thread.
 */
final class ClusterRedis implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClusterRedis.class);
  private static volatile RedisCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                RedisCluster.class,
                key -> {
                  try {
                    return RedisCluster.start();
                  } catch (Exception e) {
                    throw new IllegalStateException("cannot start a Redis Cluster", e);
                  }
                },
                RedisCluster.class);
  }

  /** Returns the shared cluster; a test class extended with this class has it started. */
  static RedisCluster cluster() {
    return cluster;
  }

  /** Returns a builder of a log on the shared cluster, its seeds being every node. */
  static RedisEventLog.Builder builder() {
    return RedisEventLog.clusterBuilder(cluster.uri()).commandTimeout(Duration.ofSeconds(5));
  }
}
