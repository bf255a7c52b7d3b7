package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fan-out benchmark counts what it claims to: every published event reaches every subscriber.
 */
class FanOutBenchmarkTest {
  @Test
  void everyPublishReachesEverySubscriber() {
    FanOutBenchmark benchmark = new FanOutBenchmark();
    benchmark.subscribers = 100;
    benchmark.setUp();
    try {
      long first = assertTimeoutPreemptively(Duration.ofSeconds(10), benchmark::publishToAll);
      long second = assertTimeoutPreemptively(Duration.ofSeconds(10), benchmark::publishToAll);

      assertThat(second - first).isEqualTo(100);
    } finally {
      benchmark.tearDown();
    }
  }
}
