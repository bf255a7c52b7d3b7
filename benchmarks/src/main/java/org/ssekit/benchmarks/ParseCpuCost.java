package org.ssekit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contestants of {@link ParseBenchmark}, on the same streams, measured in CPU time instead of
 * wall time: the parsing thread's CPU nanoseconds per event, over rounds in which the contestants
 * take turns of a fixed CPU time, after warm-up rounds. The thread's CPU clock has nanosecond
 * resolution (the process's ticks in 10 ms here); it leaves out the GC threads, so the allocation
 * of each contestant is to be read from JMH's {@code -prof gc} beside it.
 *
 * <p>On the shared two-core machines this project runs on, JMH's wall time per event moves by half
 * or more with what else runs; CPU time much less, so this is the figure to compare builds and
 * contestants with while other work is going on (run builds alternately; quote the spread). It
 * parses through the parser's public API only, so the same source runs against an older {@code
 * sse-client} jar on the class path.
 *
 * <p>The thread's CPU clock is read once per batch of streams, not once per stream: a read is a
 * system call that costs about 1.5 µs of the thread's own CPU time on these machines (measured and
 * printed at the start), and slows the code that runs after it. At one read per stream of {@value
 * ParseBenchmark#EVENTS} events that added some 15 to 30 ns to every contestant's time per event, a
 * fifth of ssekit's time on short events, and shrank every ratio between contestants. A
 * contestant's batch doubles until it takes at least {@value #READ_EVERY_NANOS} ns of CPU, within
 * the first warm-up round, so that reads then cost under 0.2% of a turn.
 *
 * <p>Usage: {@code java -Xms1g -Xmx1g -XX:+UseG1GC -cp <benchmarks jar and lib/*>
 * org.ssekit.benchmarks.ParseCpuCost [rounds] [warm-up rounds] [CPU milliseconds per turn]}; prints
 * one line per payload, contestant and round, then the medians.
 *
 * <p><b>Thread safety:</b> a command-line program; not for use as a library.
 */
public final class ParseCpuCost {
  private static final List<String> PAYLOADS = List.of("short", "multiline", "json4k");
  private static final List<String> CONTESTANTS = List.of("ssekit", "okhttp", "jersey");

  /** The least CPU time between two reads of the thread's CPU clock once warmed up. */
  private static final long READ_EVERY_NANOS = 1_000_000;

  private ParseCpuCost() {}

  /**
   * Runs the measurement.
   *
   * @param args optional: rounds (7), warm-up rounds (3), CPU milliseconds per turn (200)
   * @throws Exception if a contestant fails or reads other events than the stream has
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long turnNanos = (args.length > 2 ? Long.parseLong(args[2]) : 200) * 1_000_000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf(
        Locale.ROOT, "(thread CPU clock: %.0f ns per read)%n", clockReadNanos(threads));
    Sink sink = new Sink();
    for (String payload : PAYLOADS) {
      ParseBenchmark bench = new ParseBenchmark();
      bench.payload = payload;
      bench.setUp(); // also checks that every contestant reads the same events
      try {
        double[][] cpuPerEvent = new double[CONTESTANTS.size()][rounds];
        long[] batch = new long[CONTESTANTS.size()];
        Arrays.fill(batch, 1);
        for (int r = -warmUps; r < rounds; r++) {
          for (int c = 0; c < CONTESTANTS.size(); c++) {
            String contestant = CONTESTANTS.get(c);
            long n = 0;
            long start = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            long read = start;
            long cpu;
            do {
              for (long k = 0; k < batch[c]; k++) {
                run(bench, contestant, sink);
              }
              n += batch[c];
              long now = threads.getCurrentThreadCpuTime();
              if (now - read < READ_EVERY_NANOS) {
                batch[c] *= 2;
              }
              read = now;
              cpu = now - start;
            } while (cpu < turnNanos);
            wall = System.nanoTime() - wall;
            long events = n * ParseBenchmark.EVENTS;
            if (r >= 0) {
              cpuPerEvent[c][r] = (double) cpu / events;
              System.out.printf(
                  Locale.ROOT,
                  "%s %s round %d: %.1f cpu ns/event, %.1f wall ns/event%n",
                  payload,
                  contestant,
                  r + 1,
                  cpuPerEvent[c][r],
                  (double) wall / events);
            }
          }
        }
        for (int c = 0; c < CONTESTANTS.size(); c++) {
          double[] sorted = cpuPerEvent[c].clone();
          Arrays.sort(sorted);
          System.out.printf(
              Locale.ROOT,
              "median %s %s: %.1f cpu ns/event (min %.1f, max %.1f), %.0f MB/s%n",
              payload,
              CONTESTANTS.get(c),
              sorted[rounds / 2],
              sorted[0],
              sorted[rounds - 1],
              bench.eventBytes / sorted[rounds / 2] * 1000);
        }
      } finally {
        bench.tearDown();
      }
    }
    System.out.println("(checksum " + sink.checksum + ")");
  }

  /** Returns the thread CPU time one read of the thread's CPU clock costs, in ns. */
  private static double clockReadNanos(ThreadMXBean threads) {
    int reads = 10_000;
    long sum = 0;
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < reads; i++) {
      sum += threads.getCurrentThreadCpuTime();
    }
    long cpu = threads.getCurrentThreadCpuTime() - start;
    return sum == 0 ? 0 : (double) cpu / (reads + 1);
  }

  private static void run(ParseBenchmark bench, String contestant, Sink sink) throws Exception {
    switch (contestant) {
      case "ssekit":
        bench.ssekit(sink);
        break;
      case "okhttp":
        bench.okhttpEventSource(sink);
        break;
      default:
        bench.jersey(sink);
        break;
    }
  }

  /**
   * Keeps what each contestant delivers reachable, as JMH's Blackhole does, so that no work is
   * optimized away; one class for all contestants, so the call is the same for each.
   */
  private static final class Sink implements ParseBenchmark.EventConsumer {
    private final Object[] last = new Object[3];
    long checksum;

    @Override
    public void accept(String type, String id, String data) {
      last[0] = type;
      last[1] = id;
      last[2] = data;
      checksum += data.length();
    }
  }
}
