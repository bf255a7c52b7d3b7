package org.ssekit.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * How big a run is. {@code quick} (the default) takes a few minutes, {@code full} the sizes of the
 * benchmark issue (under 30 minutes on 2 cores), {@code smoke} seconds (CI and the smoke test).
 *
 * @param name quick, full or smoke
 * @param holdStreams the stream counts the hold scenario measures, ascending
 * @param fanOutClients clients of the fan-out scenario
 * @param fanOutEvents events published as fast as possible in the fan-out scenario
 * @param latencyClients client counts of the latency scenario, at 1 event/s
 * @param latencySeconds how long each latency step publishes
 * @param steppedRates the stepped rates (events/s) run with the largest latency client count
 * @param slowClients clients of the slow scenario, 1% of them stalled
 * @param slowEventBytes data bytes of each event in the slow scenario
 * @param slowRate events/s in the slow scenario
 * @param slowSeconds how long the stalled phase publishes (the baseline: a third of it)
 * @param churnClients clients of the churn scenario
 * @param churnPerMille thousandths of the clients that reconnect every second
 * @param churnRate events/s during churn
 * @param churnSeconds how long the churn lasts
 * @param keepAliveSeconds keep-alive (heartbeat) period of the contestants that have one
 * @param serverHeap -Xms/-Xmx of the server JVM
 * @param jmhIterations measurement iterations per JMH benchmark (warm-up: the same number)
 * @param jmhSeconds seconds per JMH iteration
 */
record Size(
    String name,
    List<Integer> holdStreams,
    int fanOutClients,
    int fanOutEvents,
    List<Integer> latencyClients,
    int latencySeconds,
    List<Integer> steppedRates,
    int slowClients,
    int slowEventBytes,
    int slowRate,
    int slowSeconds,
    int churnClients,
    int churnPerMille,
    int churnRate,
    int churnSeconds,
    int keepAliveSeconds,
    String serverHeap,
    int jmhIterations,
    int jmhSeconds) {

  static final int EVENT_BYTES = 100;

  static Size named(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "smoke":
        return new Size(
            "smoke",
            List.of(20),
            20,
            20,
            List.of(20),
            2,
            List.of(),
            20,
            8192,
            50,
            3,
            20,
            100,
            20,
            2,
            2,
            "256m",
            1,
            1);
      case "quick":
        return new Size(
            "quick",
            List.of(1000, 2000),
            2000,
            50,
            List.of(1000),
            10,
            List.of(10),
            200,
            16_384,
            32,
            15,
            200,
            10,
            20,
            10,
            5,
            "1g",
            2,
            1);
      case "full":
        return new Size(
            "full",
            List.of(1000, 10_000, 19_500),
            10_000,
            100,
            List.of(1000, 10_000),
            10,
            List.of(5, 20),
            500,
            16_384,
            16,
            30,
            1000,
            10,
            20,
            20,
            10,
            "4g",
            5,
            2);
      default:
        throw new IllegalArgumentException("unknown size: " + name + "; known: quick, full, smoke");
    }
  }

  /** The events that each stalled client is offered in the slow scenario, in bytes. */
  long slowOfferedBytes() {
    return (long) slowEventBytes * slowRate * slowSeconds;
  }
}
