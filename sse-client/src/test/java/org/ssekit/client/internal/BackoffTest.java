package org.ssekit.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ssekit.client.ReconnectPolicy;

/** The reconnection delay: the reconnection time exactly, plus capped exponential full jitter. */
class BackoffTest {
  private final List<Long> bounds = new ArrayList<>();
  private final ReconnectPolicy policy =
      ReconnectPolicy.builder()
          .backoffBase(Duration.ofMillis(100))
          .maxBackoff(Duration.ofMillis(1000))
          .build();

  /** A "random" source that records its bound and returns it, the worst case. */
  private final Backoff worstCase =
      new Backoff(
          policy,
          bound -> {
            bounds.add(bound);
            return bound;
          });

  @Test
  void afterAStableConnectionTheDelayIsTheReconnectionTimeExactly() {
    assertThat(worstCase.delayMillis(3000, 0)).isEqualTo(3000);
    assertThat(bounds).isEmpty();
  }

  @Test
  void failuresInARowAddJitterThatDoublesUpToTheCap() {
    for (int failures = 1; failures <= 6; failures++) {
      worstCase.delayMillis(50, failures);
    }
    assertThat(bounds).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void jitterNeverMakesTheDelayShorterThanTheReconnectionTime() {
    Backoff lowest = new Backoff(policy, bound -> 0);
    assertThat(lowest.delayMillis(700, 5)).isEqualTo(700);
  }

  @Test
  void hugeFailureCountsDoNotOverflow() {
    assertThat(worstCase.delayMillis(Long.MAX_VALUE - 10, Integer.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }
}
