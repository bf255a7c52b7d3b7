package org.ssekit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.redis.RedisEventLog;

/**
 * What a node's Redis reader costs per event as the number of followed topics grows (issue 18,
 * point 3: the cost of a turn must follow the topics with new entries, not all followed topics).
 * One hub on a {@link RedisEventLog}, {@code followed} topics each with one subscriber (in-process
 * counting transports: no HTTP), events published one at a time to only {@code active} of them.
 * Each publish completes once this node's reader has reported it, so every event is one turn of the
 * reader. Measured per event: the reader thread's CPU time, the whole process's CPU time, and the
 * publish's round trip (append, read back, reported to the hub). The followed counts take turns
 * within each round, so that all of them meet the same machine.
 *
 * <p>Usage: {@code java -cp <benchmarks jar and lib/*> org.ssekit.benchmarks.ReaderCost <redis-uri>
 * [followed counts, comma-separated (10,10000)] [active topics (10)] [rounds (5)] [events per round
 * (3000)]}. Every run writes its keys under the prefix {@code rc:<run>:}; use an empty Redis.
 *
 * <p><b>Thread safety:</b> a command-line program; not for use as a library.
 */
public final class ReaderCost {
  private ReaderCost() {}

  /**
   * Runs the measurement.
   *
   * @param args the Redis URI, then the optional arguments above
   * @throws Exception if the hub or the log fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: ReaderCost <redis-uri> [followed] [active] ...");
    }
    String uri = args[0];
    int[] followedCounts =
        Arrays.stream((args.length > 1 ? args[1] : "10,10000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int active = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int events = args.length > 4 ? Integer.parseInt(args[4]) : 3000;
    // One unreported run first, so that no configuration pays for the JIT's warm-up.
    measure(uri, "warm", followedCounts[0], active, events);
    Map<Integer, List<double[]>> results = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (int followed : followedCounts) {
        double[] result = measure(uri, "r" + round + "f" + followed, followed, active, events);
        results.computeIfAbsent(followed, f -> new ArrayList<>()).add(result);
        System.out.printf(
            Locale.ROOT,
            "round %d, %d followed, %d active: reader %.1f µs cpu/event, process %.1f µs"
                + " cpu/event, publish round trip p50 %.0f µs p99 %.0f µs%n",
            round,
            followed,
            Math.min(active, followed),
            result[0],
            result[1],
            result[2],
            result[3]);
      }
    }
    for (Map.Entry<Integer, List<double[]>> entry : results.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "%d followed: reader %s µs cpu/event, process %s, p50 %s µs, p99 %s µs"
              + " (median [min-max] of %d rounds)%n",
          entry.getKey(),
          spread(entry.getValue(), 0),
          spread(entry.getValue(), 1),
          spread(entry.getValue(), 2),
          spread(entry.getValue(), 3),
          entry.getValue().size());
    }
  }

  /** Returns reader and process CPU µs per event, then the round trip's p50 and p99 in µs. */
  private static double[] measure(String uri, String run, int followed, int active, int events)
      throws Exception {
    String name = "rc-" + run;
    RedisEventLog log = RedisEventLog.builder(uri).name(name).keyPrefix("rc:" + run + ":").build();
    SseHub hub =
        SseHub.builder()
            .name(name)
            .eventLog(log)
            .keepAlive(Duration.ofHours(1))
            .stallTimeout(Duration.ofHours(1))
            .build();
    try {
      AtomicLong delivered = new AtomicLong();
      for (int i = 0; i < followed; i++) {
        hub.subscribe("t/" + i, null, new CountingTransport(delivered), SseListener.NONE);
      }
      CountingTransport.awaitAtLeast(delivered, followed); // every stream open (its first write)
      int topics = Math.min(active, followed);
      ServerSentEvent event = ServerSentEvent.of("x".repeat(Size.EVENT_BYTES - 10));
      publish(hub, event, topics, events / 5, new Histogram(3)); // warm-up
      long[] reader = readerThreadIds(name);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long readerCpu = cpu(threads, reader);
      long processCpu = os.getProcessCpuTime();
      Histogram roundTrips = new Histogram(3);
      publish(hub, event, topics, events, roundTrips);
      readerCpu = cpu(threads, reader) - readerCpu;
      processCpu = os.getProcessCpuTime() - processCpu;
      CountingTransport.awaitAtLeast(delivered, followed + (long) events * 6 / 5);
      return new double[] {
        readerCpu / 1000.0 / events,
        processCpu / 1000.0 / events,
        roundTrips.getValueAtPercentile(50) / 1000.0,
        roundTrips.getValueAtPercentile(99) / 1000.0
      };
    } finally {
      hub.close();
    }
  }

  private static void publish(
      SseHub hub, ServerSentEvent event, int topics, int events, Histogram roundTrips)
      throws Exception {
    for (int i = 0; i < events; i++) {
      long start = System.nanoTime();
      hub.publish("t/" + (i % topics), event).toCompletableFuture().get(10, TimeUnit.SECONDS);
      roundTrips.recordValue(System.nanoTime() - start);
    }
  }

  private static long[] readerThreadIds(String name) {
    String prefix = "ssekit-redis-" + name + "-reader";
    long[] ids =
        Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith(prefix))
            .mapToLong(Thread::getId)
            .toArray();
    if (ids.length == 0) {
      throw new IllegalStateException("no thread named " + prefix + "*: the log's names changed");
    }
    return ids;
  }

  private static long cpu(ThreadMXBean threads, long[] ids) {
    long total = 0;
    for (long id : ids) {
      total += threads.getThreadCpuTime(id);
    }
    return total;
  }

  private static String spread(List<double[]> rounds, int column) {
    double[] values = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "%.1f [%.1f-%.1f]",
        values[values.length / 2],
        values[0],
        values[values.length - 1]);
  }
}
