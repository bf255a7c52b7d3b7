package org.ssekit.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.micrometer.SseHubMetrics;

/**
 * The fan-out of {@link FanOutBenchmark} measured in CPU time instead of wall time: the process's
 * CPU nanoseconds (every thread: publisher, delivery threads, GC, JIT) per delivery, over rounds of
 * publishes after a warm-up. The publisher parks while the delivery threads write, so no thread
 * spins and the figure is the work done, not how the scheduler shared the cores.
 *
 * <p>Wall time on the shared two-core machines this project runs on depends on what else runs; CPU
 * time per delivery much less so, which makes this the figure to compare two builds of the core
 * with while other work is going on (run the two alternately; quote the spread). Uses only the
 * public API, so the same source compiles against older cores.
 *
 * <p>Usage: {@code java -cp <benchmarks jar and lib/*> org.ssekit.benchmarks.FanOutCpuCost
 * [subscribers] [deliveryThreads] [rounds] [publishesPerRound] [binder]}; prints one line per round
 * and the median. {@code binder} {@code true} attaches sse-micrometer's {@link SseHubMetrics} to a
 * {@link SimpleMeterRegistry} (every meter, and the delivery latency timer sampled at its default
 * rate), to compare the hub with and without it.
 *
 * <p><b>Thread safety:</b> a command-line program; not for use as a library.
 */
public final class FanOutCpuCost {
  private FanOutCpuCost() {}

  /**
   * Runs the measurement.
   *
   * @param args optional: subscribers (1000), delivery threads (1), rounds (7), publishes per round
   *     (20000), binder (false)
   * @throws InterruptedException if interrupted while waiting for the hub to start
   */
  public static void main(String[] args) throws InterruptedException {
    int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int deliveryThreads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    int publishes = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
    boolean binder = args.length > 4 && Boolean.parseBoolean(args[4]);
    Waiter waiter = new Waiter();
    SseHub hub =
        SseHub.builder()
            .name("cpu")
            .keepAlive(Duration.ofHours(1))
            .stallTimeout(Duration.ofHours(1))
            .deliveryThreads(deliveryThreads)
            .build();
    SimpleMeterRegistry registry = binder ? new SimpleMeterRegistry() : null;
    SseHubMetrics metrics = binder ? SseHubMetrics.builder(hub).build() : null;
    if (binder) {
      metrics.bindTo(registry);
    }
    try {
      for (int i = 0; i < subscribers; i++) {
        hub.subscribe("cpu", null, new CountingTransport(waiter.delivered), SseListener.NONE);
      }
      waiter.await(subscribers); // the headers
      ServerSentEvent event = ServerSentEvent.of("x".repeat(Size.EVENT_BYTES - 10));
      long expected = subscribers;
      expected = publish(hub, event, waiter, expected, subscribers, publishes); // warm-up
      double[] perDelivery = new double[rounds];
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int r = 0; r < rounds; r++) {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        expected = publish(hub, event, waiter, expected, subscribers, publishes);
        cpu = os.getProcessCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        perDelivery[r] = (double) cpu / ((long) publishes * subscribers);
        System.out.printf(
            Locale.ROOT,
            "round %d: %.1f cpu ns/delivery, %.1f wall ns/delivery%n",
            r + 1,
            perDelivery[r],
            (double) wall / ((long) publishes * subscribers));
      }
      java.util.Arrays.sort(perDelivery);
      System.out.printf(
          Locale.ROOT,
          "median %.1f cpu ns/delivery (min %.1f, max %.1f)%n",
          perDelivery[rounds / 2],
          perDelivery[0],
          perDelivery[rounds - 1]);
    } finally {
      if (binder) {
        metrics.close();
        registry.close();
      }
      hub.close();
    }
  }

  private static long publish(
      SseHub hub,
      ServerSentEvent event,
      Waiter waiter,
      long expected,
      int subscribers,
      int publishes) {
    for (int i = 0; i < publishes; i++) {
      expected += subscribers;
      hub.publish("cpu", event);
      waiter.await(expected);
    }
    return expected;
  }

  /** Parks the publisher until the deliveries reach a target; unparked by a polling check. */
  private static final class Waiter {
    final AtomicLong delivered = new AtomicLong();

    void await(long expected) {
      // Parks in short slices rather than being unparked by the transport: the transport is
      // shared with the JMH benchmarks, and a 20 µs slice is small against a ~200 µs fan-out.
      while (delivered.get() < expected) {
        LockSupport.parkNanos(20_000);
      }
    }
  }
}
