package org.ssekit.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The adaptive read timeout. */
class KeepAliveRhythmTest {
  private static final long S = 1_000_000_000L;

  @Test
  void beforeTheRhythmIsKnownTheTimeoutIsTheInitialOne() {
    KeepAliveRhythm rhythm = new KeepAliveRhythm(Duration.ofMinutes(5));
    rhythm.comment(0);
    rhythm.comment(10 * S);
    assertThat(rhythm.timeoutNanos()).isEqualTo(Duration.ofMinutes(5).toNanos());
  }

  @Test
  void afterTwoIntervalsTheTimeoutIsTwiceTheLongest() {
    KeepAliveRhythm rhythm = new KeepAliveRhythm(Duration.ofMinutes(5));
    rhythm.comment(0);
    rhythm.comment(10 * S);
    rhythm.comment(25 * S);
    assertThat(rhythm.timeoutNanos()).isEqualTo(30 * S);
  }

  @Test
  void theTimeoutIsNeverShorterThanTheServersIntervalEvenIfLongerThanTheInitial() {
    KeepAliveRhythm rhythm = new KeepAliveRhythm(Duration.ofSeconds(30));
    rhythm.comment(0);
    rhythm.comment(60 * S);
    assertThat(rhythm.timeoutNanos()).isEqualTo(120 * S);
  }

  @Test
  void intervalsDoNotSpanConnections() {
    KeepAliveRhythm rhythm = new KeepAliveRhythm(Duration.ofMinutes(5));
    rhythm.comment(0);
    rhythm.connectionOpened();
    rhythm.comment(600 * S);
    assertThat(rhythm.timeoutNanos()).isEqualTo(Duration.ofMinutes(5).toNanos());
  }
}
