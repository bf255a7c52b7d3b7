package org.ssekit.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.servlet.SseServlet;

/**
 * The {@code cluster} scenario (issue 18, points 4 and 5): ssekit's {@code SseServlet} on Jetty in
 * three server JVMs whose hubs share one redis-server through a {@link RedisEventLog}, and three
 * load-client JVMs, each holding streams to all three nodes in turn.
 *
 * <ol>
 *   <li><b>Scale</b>: {@link Sizes#streamsPerNode} streams per node; per node the streams held and
 *       the heap after GC; publish → receive latency of events published on node 0 at a steady
 *       rate, apart for clients on node 0 (same node) and on the others (cross node), beside one
 *       node on its in-memory hub with as many clients, measured first in the same run; deliveries
 *       per second of events published on node 0 as fast as it takes them; and the acknowledged
 *       publishes per second node 0 sustains through Redis to one topic and to 100.
 *   <li><b>Rolling restart</b>: {@link Sizes#restartStreams} streams while node 0 publishes at a
 *       steady rate: node 1 is stopped gracefully and started again, then node 2 is killed with
 *       {@code SIGKILL} and started again. Their clients reconnect to the live nodes with {@code
 *       Last-Event-ID} ({@link LoadClient}); reported per outage: clients cut, the time until every
 *       one of them had an event again, the reconnects per second the nodes absorbed, the {@code
 *       503}s (each node admits at most {@link #MAX_STREAMS_PER_NODE}); and for the whole phase,
 *       every client's events lost and duplicated (its sequence checked by {@link SequenceCheck}).
 * </ol>
 *
 * <p>The rolling restart gets fresh processes (20,000 streams at the full size: after a node goes,
 * its clients move to the two others, and the scale part's 50,000 would put 25,000 on a node, over
 * the 20,000 open files each process may have here; 3,000 at the quick size). At the smoke size it
 * runs on the scale part's processes and streams, which keeps {@code mvn verify} short.
 *
 * <p><b>Thread safety:</b> not thread-safe; one run at a time.
 */
final class ClusterScenario {
  /** The scenario's name on the command line. */
  static final String NAME = "cluster";

  /** The contestant each node runs: {@link #node}. */
  static final String CONTESTANT = "ssekit-jetty-redis";

  /** The system property that gives a node the Redis URI. */
  static final String REDIS_PROPERTY = "ssekit.bench.redis";

  /** Each node's admission limit: below the open-file limit, so overload is a 503, not EMFILE. */
  static final int MAX_STREAMS_PER_NODE = 19_000;

  /** Each node's Redis command timeout (the log's default is 2 s). */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private static final int NODES = 3;
  private static final int WARM_UP_EVENTS = 50;
  private static final Duration CALL = Duration.ofSeconds(60);

  /**
   * The sizes of one run.
   *
   * @param streamsPerNode streams per node in the scale part
   * @param restartStreams streams in all in the rolling restart, on fresh processes; 0: on the
   *     scale part's processes and streams (which must fit on two nodes)
   * @param latencyRate events per second in the latency phase
   * @param latencySeconds its length
   * @param fanOutEvents events published as fast as possible in the fan-out phase
   * @param rateEvents events per acknowledged-publish measurement
   * @param restartRate events per second during the rolling restart
   * @param settleSeconds the steady flow before, between and after its two outages
   * @param heap each node's heap
   */
  record Sizes(
      int streamsPerNode,
      int restartStreams,
      int latencyRate,
      int latencySeconds,
      int fanOutEvents,
      int rateEvents,
      int restartRate,
      int settleSeconds,
      String heap) {
    static Sizes of(Size size) {
      switch (size.name()) {
        case "smoke":
          return new Sizes(100, 0, 5, 2, 20, 1_000, 20, 1, "256m");
        case "quick":
          return new Sizes(2_000, 3_000, 1, 10, 50, 20_000, 20, 3, "1g");
        default:
          return new Sizes(16_667, 20_000, 1, 10, 100, 50_000, 20, 5, "2g");
      }
    }
  }

  private final Sizes sizes;
  private final int keepAliveSeconds;
  private final Report report;
  private final Path logs;
  private long seq = 1;

  ClusterScenario(Size size, Report report, Path logs) {
    this.sizes = Sizes.of(size);
    this.keepAliveSeconds = size.keepAliveSeconds();
    this.report = report;
    this.logs = logs;
  }

  /**
   * A cluster node's contestant: the servlet on a hub whose log is the Redis at {@value
   * #REDIS_PROPERTY}, with an admission limit answered {@code 503} + {@code Retry-After}.
   *
   * @throws IllegalStateException if the property is not set
   */
  static Contestant node(int keepAliveSeconds) {
    String uri = System.getProperty(REDIS_PROPERTY);
    if (uri == null) {
      throw new IllegalStateException(
          CONTESTANT + " needs -D" + REDIS_PROPERTY + "=redis://host:port (the cluster scenario)");
    }
    String name = "node" + System.getProperty(Server.NODE_PROPERTY, "0");
    SseHub hub =
        SseHub.builder()
            .name(name)
            .eventLog(
                RedisEventLog.builder(uri)
                    .name(name)
                    .keyPrefix("bench:")
                    // the default 2 s timed out a node's first connect on this shared machine
                    // (load average 20: seven JVMs and a redis-server starting on 2 cores)
                    .commandTimeout(COMMAND_TIMEOUT)
                    .build())
            .keepAlive(Duration.ofSeconds(keepAliveSeconds))
            .maxSubscribers(MAX_STREAMS_PER_NODE)
            .retryAfter(Duration.ofSeconds(2))
            .shutdownRetry(Duration.ofSeconds(1), Duration.ofSeconds(8))
            .build();
    return new SsekitServletContestant(
        Container.jetty(), hub, Map.of(SseServlet.REFUSAL_ANSWER_PARAMETER, "SERVICE_UNAVAILABLE"));
  }

  /** Runs both parts, reporting in {@code column}; a part that fails is reported as an error. */
  void run(String column) {
    try {
      scale(column);
    } catch (Exception e) {
      System.out.println("   cluster scale: ERROR " + e);
      report.missing("cluster scale", "error", "", true, column, "error: " + e.getMessage());
    }
    if (sizes.restartStreams() > 0) {
      try (ClusterRig rig =
          ClusterRig.start(
              "restart", CONTESTANT, NODES, true, sizes.heap(), keepAliveSeconds, logs)) {
        long held = connect(rig, sizes.restartStreams());
        putRefusedWhileConnecting(rig, restartLabel(sizes.restartStreams()), column);
        rollingRestart(rig, sizes.restartStreams(), sizes.restartStreams() - held, column);
      } catch (Exception e) {
        restartFailed(column, e);
      }
    }
  }

  private void restartFailed(String column, Exception e) {
    System.out.println("   cluster rolling restart: ERROR " + e);
    report.missing("rolling restart", "error", "", true, column, "error: " + e.getMessage());
  }

  private String restartLabel(int streams) {
    return String.format(
        Locale.ROOT,
        "rolling restart, 3 nodes, %,d streams, %d ev/s from node 0",
        streams,
        sizes.restartRate());
  }

  // ---- scale ----

  private void scale(String column) throws Exception {
    int perNode = sizes.streamsPerNode();
    String latencyLabel =
        String.format(
            Locale.ROOT,
            "cluster latency, %,d clients per node, %d ev/s published on node 0",
            perNode,
            sizes.latencyRate());
    // One node on its in-memory hub first, with one node's clients: the single-node baseline.
    try (ClusterRig single =
        ClusterRig.start(
            "single", "ssekit-jetty", 1, false, sizes.heap(), keepAliveSeconds, logs)) {
      connect(single, perNode);
      warmUp(single);
      Latency latency = latency(single, sizes.latencyRate(), sizes.latencySeconds());
      latency.put(latencyLabel, "single node, in-memory hub: ", column, latency.all);
    }
    int total = perNode * NODES;
    String label = String.format(Locale.ROOT, "cluster 3 nodes, one Redis, %,d streams", total);
    try (ClusterRig rig =
        ClusterRig.start(
            "cluster", CONTESTANT, NODES, true, sizes.heap(), keepAliveSeconds, logs)) {
      List<Map<String, String>> before = rig.callNodes("measure", CALL);
      long connectStart = System.nanoTime();
      connect(rig, total);
      long connectMillis = (System.nanoTime() - connectStart) / 1_000_000;
      putRefusedWhileConnecting(rig, label, column);
      List<Map<String, String>> after = rig.callNodes("measure", CALL);
      long held = 0;
      for (int i = 0; i < NODES; i++) {
        long open = num(after.get(i), "open");
        held += open;
        double heapMib = num(after.get(i), "heap") / 1024.0 / 1024.0;
        double perStreamKib =
            (num(after.get(i), "heap") - num(before.get(i), "heap")) / 1024.0 / Math.max(1, open);
        report.put(label, "streams held, node " + i, "streams", true, column, open, true, "");
        report.put(label, "heap after GC, node " + i, "MiB", false, column, heapMib, true, "");
        report.put(
            label, "heap per stream, node " + i, "KiB", false, column, perStreamKib, true, "");
      }
      long failed = total - held;
      boolean allHeld = failed == 0;
      report.put(
          label,
          "streams held, all nodes",
          "streams",
          true,
          column,
          held,
          allHeld,
          allHeld ? "" : failed + " not held");
      report.put(
          label, "time to connect them all", "s", false, column, connectMillis / 1000.0, true, "");
      System.out.printf(Locale.ROOT, "   cluster: %d of %d streams held%n", held, total);

      warmUp(rig);
      Latency latency = latency(rig, sizes.latencyRate(), sizes.latencySeconds());
      latency.put(latencyLabel, "same node: ", column, latency.same);
      latency.put(latencyLabel, "cross node: ", column, latency.cross);
      System.out.printf(
          Locale.ROOT,
          "   cluster: p99 same node %.1f ms, cross node %.1f ms%n",
          latency.same.getValueAtPercentile(99) / 1000.0,
          latency.cross.getValueAtPercentile(99) / 1000.0);

      fanOut(rig, label, column);
      for (int topics : List.of(1, 100)) {
        Map<String, String> rate =
            rig.node(0).call("rate " + topics + " " + sizes.rateEvents(), Duration.ofMinutes(5));
        report.put(
            label,
            "acknowledged publishes per second through Redis, "
                + topics
                + (topics == 1 ? " topic" : " topics"),
            "1/s",
            true,
            column,
            num(rate, "perSecond"),
            true,
            String.format(Locale.ROOT, "%,d events from node 0", sizes.rateEvents()));
      }
      if (sizes.restartStreams() == 0) {
        try {
          rollingRestart(rig, (int) held, failed, column); // the same streams, on the same nodes
        } catch (Exception e) {
          restartFailed(column, e);
        }
      }
    }
  }

  private void fanOut(ClusterRig rig, String label, String column) throws Exception {
    long events = sizes.fanOutEvents();
    long first = expect(rig, events);
    long start = num(rig.node(0).call(publish(first, events, 0), CALL), "start");
    List<Map<String, String>> awaited = rig.callClients("await 120000", Duration.ofMinutes(3));
    rig.node(0).call("finish 60000", Duration.ofMinutes(2));
    long deliveries = awaited.stream().mapToLong(a -> num(a, "deliveries")).sum();
    long lastRecv = awaited.stream().mapToLong(a -> num(a, "lastRecv")).max().orElse(start);
    String note = failure(awaited);
    double seconds = Math.max(1, lastRecv - start) / 1e9;
    report.put(
        label,
        "deliveries per second (" + events + " events published on node 0, delivered on all 3)",
        "1/s",
        true,
        column,
        deliveries / seconds,
        note.isEmpty(),
        note);
    System.out.printf(
        Locale.ROOT, "   cluster: fan-out %.0f deliveries/s %s%n", deliveries / seconds, note);
  }

  // ---- rolling restart ----

  /** The rolling restart on {@code rig}'s {@code streams} streams (see the class comment). */
  private void rollingRestart(ClusterRig rig, int streams, long failedConnects, String column)
      throws Exception {
    String label = restartLabel(streams);
    warmUp(rig);
    // node 0 publishes until both outages are over (an hour at most), then is stopped
    long planned = sizes.restartRate() * 3600L;
    long first = expect(rig, planned);
    rig.node(0).call(publish(first, planned, sizes.restartRate()), CALL);
    TimeUnit.SECONDS.sleep(sizes.settleSeconds());
    outage(rig, label, column, "node 1 stopped gracefully", 1, false);
    TimeUnit.SECONDS.sleep(sizes.settleSeconds());
    outage(rig, label, column, "node 2 killed (SIGKILL)", 2, true);
    TimeUnit.SECONDS.sleep(sizes.settleSeconds());
    Map<String, String> finished = rig.node(0).call("stop", CALL);
    long events = num(finished, "published");
    rig.callClients("until " + (first + events - 1), CALL);
    List<Map<String, String>> awaited = rig.callClients("await 60000", Duration.ofMinutes(2));
    long lost = awaited.stream().mapToLong(a -> num(a, "gaps")).sum();
    long dupes = awaited.stream().mapToLong(a -> num(a, "dupes")).sum();
    long complete = awaited.stream().mapToLong(a -> num(a, "complete")).sum();
    boolean publisherDone = Boolean.parseBoolean(finished.get("done"));
    String scope =
        String.format(
            Locale.ROOT, "%,d events, %,d of %,d clients had every one", events, complete, streams);
    boolean ok =
        lost == 0 && dupes == 0 && complete == streams && failedConnects == 0 && publisherDone;
    report.put(label, "events lost (all clients)", "events", false, column, lost, ok, scope);
    report.put(
        label, "events received twice (all clients)", "events", false, column, dupes, ok, scope);
    report.put(
        label,
        "clients with every event once, in order",
        "clients",
        true,
        column,
        complete,
        ok,
        scope);
    System.out.printf(
        Locale.ROOT,
        "   rolling restart: lost %d, duplicated %d, %d of %d clients complete%n",
        lost,
        dupes,
        complete,
        streams);
  }

  /**
   * Takes node {@code i} away (killed or stopped gracefully) while node 0 publishes, waits until
   * every client it had has an event again, reports, and starts the node again.
   */
  private void outage(ClusterRig rig, String label, String column, String what, int i, boolean kill)
      throws Exception {
    rig.callClients("outage reset", CALL);
    // a balancer takes the node out first (a deploy drains it; a dead node fails its health check)
    List<Map<String, String>> down = rig.callClients("down " + i, CALL);
    long cut = 0;
    for (Map<String, String> answer : down) {
      cut += Long.parseLong(answer.get("held").replaceAll("[\\[\\]]", "").split(",")[i]);
    }
    long start = System.nanoTime();
    if (kill) {
      rig.kill(i);
    } else {
      rig.stopGracefully(i);
    }
    boolean publishing = Boolean.parseBoolean(rig.node(0).call("stats", CALL).get("publishing"));
    List<Map<String, String>> outages;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      outages = rig.callClients("outage", CALL);
      long disconnects = outages.stream().mapToLong(o -> num(o, "disconnects")).sum();
      long waiting = outages.stream().mapToLong(o -> num(o, "waiting")).sum();
      if ((disconnects >= cut && waiting == 0) || System.nanoTime() > deadline) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    long disconnects = outages.stream().mapToLong(o -> num(o, "disconnects")).sum();
    long waiting = outages.stream().mapToLong(o -> num(o, "waiting")).sum();
    long reconnects = outages.stream().mapToLong(o -> num(o, "reconnects")).sum();
    long lastResume = outages.stream().mapToLong(o -> num(o, "lastResume")).max().orElse(start);
    long firstReconnect =
        outages.stream()
            .mapToLong(o -> num(o, "firstReconnect"))
            .filter(t -> t != 0)
            .min()
            .orElse(start);
    long lastReconnect =
        outages.stream().mapToLong(o -> num(o, "lastReconnect")).max().orElse(start);
    long unavailable = outages.stream().mapToLong(o -> num(o, "unavailable")).sum();
    long retryAfter = outages.stream().mapToLong(o -> num(o, "retryAfter")).max().orElse(-1);
    long outageMax = outages.stream().mapToLong(o -> num(o, "outageMax")).max().orElse(0);
    boolean ok = waiting == 0 && disconnects >= cut && publishing;
    // no client resumed: there is no time to report (lastResume is 0)
    double resumedAfter = lastResume == 0 ? Double.NaN : (lastResume - start) / 1e9;
    String note =
        ok
            ? ""
            : waiting + " clients never resumed" + (publishing ? "" : ", publisher had stopped");
    String scenario = label + ": " + what;
    report.put(scenario, "clients cut off", "clients", false, column, disconnects, ok, note);
    report.put(
        scenario,
        "time until every client had an event again",
        "s",
        false,
        column,
        resumedAfter,
        ok,
        note);
    report.put(
        scenario, "longest outage of one client", "s", false, column, outageMax / 1e6, ok, note);
    double spread = Math.max(1, lastReconnect - firstReconnect) / 1e9;
    report.put(
        scenario,
        "reconnects absorbed per second (first to last)",
        "1/s",
        true,
        column,
        reconnects / spread,
        ok,
        reconnects + " reconnects");
    report.put(
        scenario,
        "503 answers (admission limit, or the log unreachable)",
        "answers",
        false,
        column,
        unavailable,
        true,
        unavailable == 0 ? "" : "Retry-After up to " + retryAfter + " s");
    System.out.printf(
        Locale.ROOT,
        "   %s: %d clients cut, all resumed after %.1f s, %d reconnects, %d 503s %s%n",
        what,
        disconnects,
        resumedAfter,
        reconnects,
        unavailable,
        note);
    int port = rig.restart(i);
    rig.callClients("up " + i + " " + port, CALL);
  }

  // ---- shared steps ----

  /**
   * Reports the {@code 503}s the nodes answered while the clients connected (each retried after its
   * {@code Retry-After}), and starts the clients' outage counts afresh.
   */
  private void putRefusedWhileConnecting(ClusterRig rig, String label, String column)
      throws Exception {
    List<Map<String, String>> counts = rig.callClients("outage reset", CALL);
    long unavailable = counts.stream().mapToLong(o -> num(o, "unavailable")).sum();
    long retryAfter = counts.stream().mapToLong(o -> num(o, "retryAfter")).max().orElse(-1);
    report.put(
        label,
        "503 answers while connecting (each retried after its Retry-After)",
        "answers",
        false,
        column,
        unavailable,
        true,
        unavailable == 0 ? "" : "Retry-After up to " + retryAfter + " s");
  }

  /**
   * Connects {@code total} streams, split over the rig's load clients, and waits until the nodes
   * hold them all (a load client answers after its own connect timeout, and a client refused with a
   * 503 is still retrying then), or until a deadline of 2 minutes + 25 ms per stream. A client that
   * connected after a phase began would start at the live event, not the phase's first.
   */
  private long connect(ClusterRig rig, int total) throws Exception {
    int each = total / rig.size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120) + total * 25_000_000L;
    rig.callClients("connect " + each + " 0", Duration.ofSeconds(180 + each / 50));
    long open = 0;
    while (true) {
      open = 0;
      for (Map<String, String> stats : rig.callNodes("stats", CALL)) {
        open += num(stats, "open");
      }
      if (open >= (long) each * rig.size() || System.nanoTime() > deadline) {
        return open;
      }
      TimeUnit.SECONDS.sleep(1);
    }
  }

  /** Expects the next {@code events} events on every client; returns the first one's number. */
  private long expect(ClusterRig rig, long events) throws Exception {
    long first = seq;
    seq += events;
    rig.callClients("expect " + first + " " + (first + events - 1), CALL);
    return first;
  }

  private static String publish(long first, long events, double rate) {
    return "publish " + first + " " + events + " " + rate + " " + Size.EVENT_BYTES;
  }

  /** Class loading and JIT on the paths measured next; not checked (the next phases are). */
  private void warmUp(ClusterRig rig) throws Exception {
    long first = expect(rig, WARM_UP_EVENTS);
    rig.node(0).call(publish(first, WARM_UP_EVENTS, 50), CALL);
    rig.callClients("await 20000", Duration.ofSeconds(80));
    rig.node(0).call("finish 60000", Duration.ofSeconds(90));
  }

  /** Publishes on node 0 at {@code rate} for {@code seconds}, and adds up the clients' latency. */
  private Latency latency(ClusterRig rig, int rate, int seconds) throws Exception {
    long events = (long) rate * seconds;
    long first = expect(rig, events);
    rig.node(0).call(publish(first, events, rate), CALL);
    List<Map<String, String>> awaited =
        rig.callClients("await " + (seconds * 1000L + 30_000), Duration.ofSeconds(seconds + 90));
    rig.node(0).call("finish 30000", CALL);
    Histogram same = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    Histogram cross = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    for (Map<String, String> answer : awaited) {
      same.add(LoadClient.decode(answer.get("sameHist")));
      cross.add(LoadClient.decode(answer.get("crossHist")));
    }
    Histogram all = same.copy();
    all.add(cross);
    return new Latency(same, cross, all, failure(awaited));
  }

  /** Why the clients' answers to an await fail the checks, or an empty string. */
  private static String failure(List<Map<String, String>> awaited) {
    long complete = 0;
    long of = 0;
    long gaps = 0;
    long dupes = 0;
    for (Map<String, String> answer : awaited) {
      complete += num(answer, "complete");
      of += num(answer, "of");
      gaps += num(answer, "gaps");
      dupes += num(answer, "dupes");
    }
    StringBuilder problems = new StringBuilder();
    if (complete < of) {
      problems.append(of - complete).append(" of ").append(of).append(" clients incomplete ");
    }
    if (gaps > 0) {
      problems.append(gaps).append(" lost ");
    }
    if (dupes > 0) {
      problems.append(dupes).append(" duplicated ");
    }
    return problems.toString().trim();
  }

  private static long num(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("answer has no " + key + ": " + values);
    }
    return Long.parseLong(value);
  }

  /** Latencies of one phase in microseconds, over every load client. */
  private final class Latency {
    final Histogram same;
    final Histogram cross;
    final Histogram all;
    final String note;

    Latency(Histogram same, Histogram cross, Histogram all, String note) {
      this.same = same;
      this.cross = cross;
      this.all = all;
      this.note = note;
    }

    void put(String label, String prefix, String column, Histogram histogram) {
      boolean ok = note.isEmpty() && histogram.getTotalCount() > 0;
      String why = histogram.getTotalCount() == 0 ? "no samples" : note;
      for (double percentile : new double[] {50, 99}) {
        report.put(
            label,
            prefix + "p" + (int) percentile,
            "ms",
            false,
            column,
            histogram.getValueAtPercentile(percentile) / 1000.0,
            ok,
            why);
      }
    }
  }
}
