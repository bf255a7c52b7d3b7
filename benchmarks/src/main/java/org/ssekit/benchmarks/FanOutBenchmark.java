package org.ssekit.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.micrometer.SseHubMetrics;

/**
 * One event published to a topic with {@link #subscribers} subscribers whose transport completes
 * every write at once, measured until every subscriber was handed the event. With JMH's {@code gc}
 * profiler, {@code gc.alloc.rate.norm} divided by the subscriber count is ssekit's allocation per
 * delivery (the hub's delivery threads are included: the profiler counts every thread of the JVM).
 *
 * <p>The hub runs {@link #deliveryThreads} delivery threads (one by default) while the benchmark
 * thread fans out and then waits spinning: with the default of one per core, two delivery threads
 * and the spinning publisher shared the two cores of the benchmark machine, so the scheduler's time
 * slices (milliseconds, against a ~200 µs operation) decided the result more than the code did.
 *
 * <p>{@link #binder} {@code true} attaches sse-micrometer's binder to a {@code
 * SimpleMeterRegistry}, with its default latency sampling (every 64th event): compare the two runs
 * to see what the metrics cost the fan-out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseG1GC", "-Xms1g", "-Xmx1g"})
public class FanOutBenchmark {
  /** Subscribers of the topic. */
  @Param({"1000"})
  public int subscribers = 1000;

  /** The hub's delivery threads; publisher plus these should not exceed the machine's cores. */
  @Param({"1"})
  public int deliveryThreads = 1;

  /** Whether sse-micrometer's binder is attached (counters, gauges and the sampled timer). */
  @Param({"false", "true"})
  public boolean binder;

  private SimpleMeterRegistry registry;
  private SseHubMetrics metrics;

  private SseHub hub;
  private final AtomicLong delivered = new AtomicLong();
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
            .deliveryThreads(deliveryThreads)
            .build();
    event = ServerSentEvent.of("x".repeat(Size.EVENT_BYTES - 10));
    if (binder) {
      registry = new SimpleMeterRegistry();
      metrics = SseHubMetrics.builder(hub).build();
      metrics.bindTo(registry);
    }
    for (int i = 0; i < subscribers; i++) {
      hub.subscribe("jmh", null, new CountingTransport(delivered), SseListener.NONE);
    }
    // wait until every subscription wrote its headers
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (delivered.get() < subscribers && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
    expected = delivered.get();
  }

  /** Closes the hub. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (metrics != null) {
      metrics.close();
      registry.close();
    }
    hub.close();
  }

  /** Publishes one event and waits until every subscriber's transport was handed it. */
  @Benchmark
  public long publishToAll() {
    expected += subscribers;
    hub.publish("jmh", event);
    return CountingTransport.awaitAtLeast(delivered, expected);
  }
}
