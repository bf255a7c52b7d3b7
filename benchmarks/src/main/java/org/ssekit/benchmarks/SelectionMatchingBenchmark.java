package org.ssekit.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;

/**
 * Matching costs what matches: one event published to {@code rooms/lobby}, which {@link #matching}
 * subscribers select (with {@code rooms/*}, beside a selector of their own), while {@link #others}
 * subscribers hold selectors that do not match it but share its first segment ({@code
 * rooms/<i>/x}), start with a wildcard ({@code *}{@code /other<i>}) or sit beside it ({@code
 * users/<i>/**}). Measured until every matching subscriber was handed the event; compare {@code
 * others=0} with {@code others=10000} (target: within 1.2x, and {@code gc.alloc.rate.norm} / 1000
 * at most 16 B per delivery).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseG1GC", "-Xms1g", "-Xmx1g"})
public class SelectionMatchingBenchmark {
  /** Subscribers whose selection matches the topic. */
  @Param({"1000"})
  public int matching;

  /** Subscribers whose selections do not match it. */
  @Param({"0", "10000"})
  public int others;

  private SseHub hub;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong othersDelivered = new AtomicLong();
  private long expected;
  private ServerSentEvent event;

  /** Subscribes the no-op transports. */
  @Setup(Level.Trial)
  public void setUp() {
    hub =
        SseHub.builder()
            .name("jmh")
            .keepAlive(Duration.ofHours(1))
            .stallTimeout(Duration.ofHours(1))
            .maxSubscribers(matching + others)
            .build();
    event = ServerSentEvent.of("x".repeat(Size.EVENT_BYTES - 10));
    for (int i = 0; i < others; i++) {
      hub.subscribe(
          Selection.of("rooms/" + i + "/x", "*/other" + i, "users/" + i + "/**"),
          null,
          new CountingTransport(othersDelivered),
          SseListener.NONE);
    }
    for (int i = 0; i < matching; i++) {
      hub.subscribe(
          Selection.of("rooms/*", "mine/" + i + "/**"),
          null,
          new CountingTransport(delivered),
          SseListener.NONE);
    }
    // wait until every subscription wrote its headers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((delivered.get() < matching || othersDelivered.get() < others)
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    expected = delivered.get();
  }

  /** Closes the hub. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (othersDelivered.get() != others) {
      throw new IllegalStateException(
          "a non-matching subscriber received an event: " + othersDelivered.get());
    }
    hub.close();
  }

  /** Publishes one event and waits until every matching subscriber's transport was handed it. */
  @Benchmark
  public long publishToMatching() {
    expected += matching;
    hub.publish("rooms/lobby", event);
    long now;
    while ((now = delivered.get()) < expected) {
      Thread.onSpinWait();
    }
    return now;
  }
}
