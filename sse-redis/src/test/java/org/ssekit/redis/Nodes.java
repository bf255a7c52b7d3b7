package org.ssekit.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.ssekit.SseHub;
import org.ssekit.testkit.RedisServer;

/**
 * Server nodes for one test: each node is a hub with its own {@link RedisEventLog}, all on one
 * Redis (or one Redis Cluster) and one key prefix unique to the test (so tests share a server
 * without sharing topics). Closes them after the test and checks that none of their threads
 * outlived them.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
final class Nodes implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();

  static {
    // Awaiting an outcome should cost milliseconds, not Awaitility's default 100 ms.
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
  }

  private final Supplier<RedisEventLog.Builder> redis;
  private final String keyPrefix = "test" + COUNT.incrementAndGet() + ":";
  private final List<SseHub> hubs = new ArrayList<>();
  private final List<String> threadPrefixes = new ArrayList<>();

  Nodes(RedisServer redis) {
    this(() -> RedisEventLog.builder(redis.uri()));
  }

  /** Nodes whose logs start from the builders of {@code redis}, such as those of a cluster. */
  Nodes(Supplier<RedisEventLog.Builder> redis) {
    this.redis = redis;
  }

  /** Returns a builder for a node's log: a unique name and the test's key prefix. */
  RedisEventLog.Builder log() {
    return redis
        .get()
        .name("n" + COUNT.incrementAndGet())
        .keyPrefix(keyPrefix)
        .commandTimeout(Duration.ofSeconds(5));
  }

  /** Starts a node whose log is built from {@code log}. */
  SseHub node(RedisEventLog.Builder log) {
    return node(log.build());
  }

  /** Starts a node on {@code log} (built from {@link #log()}). */
  SseHub node(RedisEventLog log) {
    return node(log, hub -> hub);
  }

  /** Starts a node on {@code log}, with the hub's settings changed by {@code settings}. */
  SseHub node(RedisEventLog log, UnaryOperator<SseHub.Builder> settings) {
    SseHub hub =
        settings
            .apply(
                SseHub.builder()
                    .name("h" + COUNT.incrementAndGet())
                    .eventLog(log)
                    .deliveryThreads(2)
                    .shutdownTimeout(Duration.ofMillis(200)))
            .build();
    hubs.add(hub);
    threadPrefixes.add("ssekit-" + hub.config().name() + "-");
    threadPrefixes.add("ssekit-redis-" + log.config().name() + "-");
    return hub;
  }

  /** Starts a node with the default log settings. */
  SseHub node() {
    return node(log());
  }

  String keyPrefix() {
    return keyPrefix;
  }

  /** Closes every node and waits until none of their threads is alive. */
  @Override
  public void close() {
    for (SseHub hub : hubs) {
      hub.close();
    }
    hubs.clear();
    await().atMost(Duration.ofSeconds(10)).until(() -> liveThreads(threadPrefixes).isEmpty());
  }

  static List<String> liveThreads(List<String> prefixes) {
    List<String> live = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && prefixes.stream().anyMatch(thread.getName()::startsWith)) {
        live.add(thread.getName());
      }
    }
    return live;
  }
}
