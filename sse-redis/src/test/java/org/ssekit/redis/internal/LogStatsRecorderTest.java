package org.ssekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.ssekit.redis.RedisUnavailableException;

/** The recorder's rules on a hand-driven clock: how the reader lag moves, what counts as what. */
class LogStatsRecorderTest {
  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final AtomicBoolean commandsOpen = new AtomicBoolean(true);
  private final LogStatsRecorder recorder =
      new LogStatsRecorder("host:6379", clock::get, commandsOpen::get);

  private Duration lag() {
    return recorder.snapshot().readerLag();
  }

  private void advanceMillis(long millis) {
    clock.addAndGet(millis * MS);
  }

  @Test
  void aBlockingReadWithinItsBlockTimeKeepsTheLagWhereItStarted() {
    recorder.readReported(clock.get(), 0, 512); // caught up now
    advanceMillis(3);
    recorder.readStarting(500);
    advanceMillis(400);
    assertThat(lag()).as("waiting normally: only the 3 ms before the read").isEqualTo(ms(3));
    advanceMillis(100 + 250); // block time plus the grace: still not overdue
    assertThat(lag()).isEqualTo(ms(3));
  }

  @Test
  void anOverdueReadMakesTheLagGrowFromTheLastCatchUp() {
    recorder.readReported(clock.get(), 0, 512);
    recorder.readStarting(100);
    advanceMillis(100 + 250 + 1);
    assertThat(lag()).isEqualTo(ms(351));
    advanceMillis(1000);
    assertThat(lag()).isEqualTo(ms(1351));
    recorder.readAnswered();
    recorder.readReported(clock.get(), 0, 512);
    assertThat(lag()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aFullReadIsABacklogAndDoesNotCatchUp() {
    recorder.readReported(clock.get(), 3, 512);
    advanceMillis(10);
    recorder.readStarting(500);
    advanceMillis(1);
    recorder.readAnswered();
    recorder.readReported(clock.get(), 512, 512); // there may be more: still behind
    advanceMillis(20);
    assertThat(lag()).isEqualTo(ms(31));
    recorder.readReported(clock.get(), 7, 512);
    assertThat(lag()).isEqualTo(Duration.ZERO);
    assertThat(recorder.snapshot().entriesRead()).isEqualTo(3 + 512 + 7);
  }

  @Test
  void failingThenReadingAgainMakesRedisReachableAgain() {
    recorder.readFailed(new IllegalStateException("boom"));
    advanceMillis(50);
    recorder.readFailed(new IllegalStateException("again"));
    advanceMillis(50);
    assertThat(recorder.snapshot().reachable()).isFalse();
    assertThat(recorder.snapshot().unreachableFor()).isEqualTo(ms(100));
    assertThat(recorder.snapshot().unreachableReason())
        .hasValue("reader cannot read from host:6379: IllegalStateException");

    recorder.readReported(clock.get(), 0, 512);

    assertThat(recorder.snapshot().reachable()).isTrue();
    assertThat(recorder.snapshot().unreachableFor()).isZero();
    assertThat(recorder.snapshot().readerReconnects()).as("counted by the connection").isZero();
    recorder.readerReconnected();
    assertThat(recorder.snapshot().readerReconnects()).isEqualTo(1);
  }

  @Test
  void aClosedConnectionIsUnreachableEvenWhileTheReaderHasNotFailedYet() {
    commandsOpen.set(false);
    assertThat(recorder.snapshot().unreachableReason()).hasValue("connection to host:6379 closed");
    commandsOpen.set(true);
    assertThat(recorder.snapshot().reachable()).isTrue();
  }

  @Test
  void onlyUnavailableFailuresCountAsUnavailableAndOnlySuccessesAreTimed() {
    long start = clock.get();
    advanceMillis(7);
    recorder.appended(start, null);
    recorder.appended(start, new CompletionException(unavailable()));
    recorder.appended(start, new IllegalStateException("topic closed: t"));
    recorder.replayLookedUp(new CompletionException(unavailable()));
    recorder.replayLookedUp(null);

    assertThat(recorder.snapshot().appends()).isEqualTo(1);
    assertThat(recorder.snapshot().appendTotalNanos()).isEqualTo(7 * MS);
    assertThat(recorder.snapshot().appendsUnavailable()).isEqualTo(1);
    assertThat(recorder.snapshot().replaysUnavailable()).isEqualTo(1);
  }

  private static RedisUnavailableException unavailable() {
    return new RedisUnavailableException("redis unreachable", null, false);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
