package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ssekit.internal.StreamHttp;

/** The jittered {@code retry:} of a {@link RefusalAnswer#RETRY_STREAM} refusal. */
class RefusalRetryTest {
  private final SplittableRandom random = new SplittableRandom(20);

  @Test
  void retryStaysWithinHalfAndOneAndAHalfTimesRetryAfterAndSpreads() {
    LongSummaryStatistics stats = new LongSummaryStatistics();
    Set<Long> distinct = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      long retry = StreamHttp.refusalRetryMillis(Duration.ofSeconds(5), random);
      stats.accept(retry);
      distinct.add(retry);
    }
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(2_500).isLessThan(2_600);
    assertThat(stats.getMax()).isLessThanOrEqualTo(7_500).isGreaterThan(7_400);
    assertThat(stats.getAverage()).isBetween(4_900.0, 5_100.0);
    assertThat(distinct).hasSizeGreaterThan(3_000);
  }

  @Test
  void retryIsNeverUnderOneSecond() {
    assertThat(StreamHttp.refusalRetryMillis(Duration.ZERO, random)).isEqualTo(1_000);
    assertThat(StreamHttp.refusalRetryMillis(Duration.ofMillis(600), random)).isEqualTo(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(StreamHttp.refusalRetryMillis(Duration.ofSeconds(1), random))
          .isBetween(1_000L, 1_500L);
    }
  }

  @Test
  void hugeRetryAfterDoesNotOverflow() {
    assertThat(StreamHttp.refusalRetryMillis(Duration.ofSeconds(Long.MAX_VALUE), random))
        .isGreaterThanOrEqualTo(Long.MAX_VALUE / 2);
    assertThat(StreamHttp.refusalRetryMillis(Duration.ofMillis(Long.MAX_VALUE - 1), random))
        .isGreaterThanOrEqualTo(Long.MAX_VALUE / 2);
  }

  @Test
  void bodyIsOneRetryFieldAndItsBlankLine() {
    String body = new String(StreamHttp.refusalBody(Duration.ofSeconds(5)), StandardCharsets.UTF_8);
    assertThat(body).matches("retry: \\d{4}\n\n");
  }

  @Test
  void closedTopicIs204WhateverTheAnswer() {
    assertThat(StreamHttp.refusalStatus(RefusalAnswer.RETRY_STREAM, true)).isEqualTo(204);
    assertThat(StreamHttp.refusalStatus(RefusalAnswer.SERVICE_UNAVAILABLE, true)).isEqualTo(204);
    assertThat(StreamHttp.refusalStatus(RefusalAnswer.RETRY_STREAM, false)).isEqualTo(200);
    assertThat(StreamHttp.refusalStatus(RefusalAnswer.SERVICE_UNAVAILABLE, false)).isEqualTo(503);
  }
}
