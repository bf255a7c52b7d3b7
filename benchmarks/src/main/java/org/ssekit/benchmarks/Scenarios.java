package org.ssekit.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs one scenario against one contestant: a fresh server JVM and a fresh load-client JVM each
 * time, started with the same flags for every contestant, and stopped afterwards.
 *
 * <p><b>Thread safety:</b> not thread-safe.
 */
final class Scenarios {
  static final List<String> CLIENT_FLAGS = List.of("-XX:+UseG1GC", "-Xms1g", "-Xmx1g");

  /** Contestants that send keep-alives (heartbeats) on their own. */
  private static final Set<String> KEEP_ALIVE =
      Set.of("ssekit-jetty", "ssekit-tomcat", "ssekit-jaxrs-jetty", "jetty-es", "ssekit-spring");

  private static final Set<String> REPLAY =
      Set.of("ssekit-jetty", "ssekit-tomcat", "ssekit-jaxrs-jetty", "ssekit-spring");

  /** The scenarios whose clients subscribe to several topics each ({@link TopicSpread}). */
  static final Set<String> MULTI_TOPIC_SCENARIOS = Set.of("fanout-multi", "latency-multi");

  private static final int SOURCE_ADDRESSES = 8;
  private static final int WARM_UP_EVENTS = 50;
  private static final double KIB = 1024.0;

  /** How the multi-topic rows name their spread. */
  private static final String MULTI =
      TopicSpread.PER_CLIENT + " of " + TopicSpread.TOPICS + " topics";

  private final Bench.Options options;
  private final Size size;
  private final Report report;
  private final Path logs;
  private long seq;

  /** The contestant of the scenario running now (its column may add a round). */
  private String name;

  Scenarios(Bench.Options options, Report report, Path logs) {
    this.options = options;
    this.size = options.size();
    this.report = report;
    this.logs = logs;
  }

  static List<String> serverFlags(Size size) {
    return List.of(
        "-XX:+UseG1GC",
        "-Xms" + size.serverHeap(),
        "-Xmx" + size.serverHeap(),
        "-XX:MaxDirectMemorySize=2g");
  }

  private String recording(String file) {
    return "-XX:StartFlightRecording=settings=profile,filename="
        + logs.resolve(file).toAbsolutePath();
  }

  void run(String scenario, String contestant) {
    run(scenario, contestant, contestant);
  }

  /**
   * Runs {@code scenario} against {@code contestant} and reports its numbers in the column {@code
   * column} (the contestant's name, or with several rounds its name and round).
   */
  void run(String scenario, String contestant, String column) {
    name = contestant;
    String file = column.replace(' ', '-').replace("#", "");
    if (MULTI_TOPIC_SCENARIOS.contains(scenario) && !Contestant.MULTI_TOPIC.contains(contestant)) {
      notApplicable(scenario, column);
      System.out.println("   " + column + ": n/a (no multi-topic streams)");
      return;
    }
    long start = System.nanoTime();
    seq = 1;
    Path serverLog = logs.resolve(scenario + "-" + file + "-server.log");
    Path clientLog = logs.resolve(scenario + "-" + file + "-client.log");
    List<String> flags = new ArrayList<>(serverFlags(size));
    List<String> clientFlags = new ArrayList<>(CLIENT_FLAGS);
    if (options.jfr()) {
      flags.add(recording(scenario + "-" + file + ".jfr"));
      clientFlags.add(recording(scenario + "-" + file + "-client.jfr"));
    }
    try (Proc server =
        new Proc(
            "server",
            command(
                0,
                flags,
                SpringClassPath.serverClassPath(contestant),
                "server",
                contestant,
                Integer.toString(size.keepAliveSeconds())),
            serverLog)) {
      Map<String, String> ready = server.ready(Duration.ofSeconds(60));
      report.settings(contestant, ready.get("settings").replace('_', ' '));
      int port = Integer.parseInt(ready.get("port"));
      try (Proc client =
          new Proc(
              "client",
              command(
                  1,
                  clientFlags,
                  System.getProperty("java.class.path"),
                  "client",
                  Integer.toString(port),
                  Integer.toString(SOURCE_ADDRESSES)),
              clientLog)) {
        client.ready(Duration.ofSeconds(60));
        switch (scenario) {
          case "hold":
            hold(column, server, client);
            break;
          case "fanout":
          case "fanout-multi":
            fanOut(column, server, client, scenario.equals("fanout-multi"));
            break;
          case "latency":
          case "latency-multi":
            latency(column, server, client, scenario.equals("latency-multi"));
            break;
          case "slow":
            slow(column, server, client);
            break;
          case "churn":
            churn(column, server, client);
            break;
          default:
            throw new IllegalArgumentException("unknown scenario: " + scenario);
        }
      }
    } catch (Exception e) {
      System.out.println("   " + column + ": ERROR " + e);
      report.missing(scenario, "error", "", true, column, "error: " + e.getMessage());
    }
    System.out.printf(
        Locale.ROOT, "   %s: %d s%n", column, (System.nanoTime() - start) / 1_000_000_000L);
  }

  private List<String> command(int cpu, List<String> flags, String classPath, String... args) {
    return command(options.pinned(), cpu, flags, classPath, args);
  }

  /**
   * The command line of a child JVM running {@link Bench} with {@code args}; with {@code pinned},
   * on CPU {@code cpu} only.
   */
  static List<String> command(
      boolean pinned, int cpu, List<String> flags, String classPath, String... args) {
    List<String> command = new ArrayList<>();
    if (pinned) {
      command.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
    }
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(flags);
    command.addAll(List.of("-cp", classPath, Bench.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  // ---- hold ----

  private void hold(String contestant, Proc server, Proc client) throws Exception {
    Map<String, String> before = server.call("measure", Duration.ofMinutes(1));
    int held = 0;
    int total = 0;
    for (int streams : size.holdStreams()) {
      Map<String, String> connected =
          client.call("connect " + (streams - total) + " 0", connectTimeout(streams));
      total = streams;
      held += Integer.parseInt(connected.get("ok"));
      Map<String, String> after = server.call("measure", Duration.ofMinutes(1));
      String scenario = "hold " + streams;
      boolean ok = held == streams;
      String note = ok ? "" : held + " of " + streams + " held";
      report.put(
          scenario,
          "streams held",
          "streams",
          true,
          contestant,
          held,
          ok,
          ok ? "" : "of " + streams);
      double heap = perStream(after, before, "heap", streams);
      double direct = perStream(after, before, "direct", streams);
      report.put(scenario, "heap per stream", "KiB", false, contestant, heap, ok, note);
      report.put(scenario, "direct memory per stream", "KiB", false, contestant, direct, ok, note);
      report.put(
          scenario, "heap + direct per stream", "KiB", false, contestant, heap + direct, ok, note);
      report.put(
          scenario,
          "RSS per stream",
          "KiB",
          false,
          contestant,
          perStream(after, before, "rss", streams),
          ok,
          note);
      report.put(
          scenario,
          "threads added",
          "threads",
          false,
          contestant,
          num(after, "threads") - num(before, "threads"),
          ok,
          note);
      report.put(
          scenario,
          "connect time",
          "s",
          false,
          contestant,
          num(connected, "millis") / 1000.0,
          ok,
          note);
      System.out.printf(
          Locale.ROOT,
          "   %s: %d held, heap %.2f KiB + direct %.2f KiB per stream%n",
          contestant,
          held,
          heap,
          direct);
      if (!ok) {
        break;
      }
    }
    String scenario = "hold " + total;
    if (KEEP_ALIVE.contains(name)) {
      Map<String, String> round =
          client.call(
              "keepalive " + (size.keepAliveSeconds() * 2_000L + 30_000),
              Duration.ofSeconds(size.keepAliveSeconds() * 2L + 60));
      boolean ok =
          round.get("got").equals(round.get("of")) && Integer.parseInt(round.get("of")) == total;
      report.put(
          scenario,
          "keep-alive round: all streams got one within",
          "s",
          false,
          contestant,
          num(round, "millis") / 1000.0,
          ok,
          ok ? "" : round.get("got") + " of " + total);
    } else {
      report.missing(
          scenario,
          "keep-alive round: all streams got one within",
          "s",
          false,
          contestant,
          "n/a: no keep-alive");
    }
  }

  private static double perStream(
      Map<String, String> after, Map<String, String> before, String key, int streams) {
    return (num(after, key) - num(before, key)) / KIB / streams;
  }

  // ---- fan-out ----

  /**
   * The fan-out scenario, or with {@code multi} its multi-topic variant: every client subscribes to
   * {@link TopicSpread#PER_CLIENT} of {@link TopicSpread#TOPICS} topics and the events go to all
   * the topics, ceil(events / PER_CLIENT) to each, so that every client receives about as many
   * events as in the single-topic scenario (PER_CLIENT × that, at least as many) while each event
   * reaches only the streams of its topic.
   */
  private void fanOut(String contestant, Proc server, Proc client, boolean multi) throws Exception {
    int clients = size.fanOutClients();
    int perClient = fanOutEventsPerClient(multi);
    long events = fanOutEvents(multi);
    Map<String, String> connected = connect(client, clients, 0, multi);
    warmUp(server, client, multi);
    String scenario = fanOutLabel(multi);
    Phase phase =
        phase(
            server,
            client,
            events,
            0,
            Size.EVENT_BYTES,
            multi,
            Duration.ofSeconds(60 + (long) clients * perClient / 20_000));
    double seconds = (phase.lastRecv - phase.start) / 1e9;
    double rate = phase.deliveries / seconds;
    String note = phase.failure(connected);
    report.put(
        scenario, "deliveries per second", "1/s", true, contestant, rate, note.isEmpty(), note);
    report.put(
        scenario,
        "time until every client had every event",
        "s",
        false,
        contestant,
        seconds,
        note.isEmpty(),
        note);
    System.out.printf(Locale.ROOT, "   %s: %.0f deliveries/s %s%n", contestant, rate, note);
  }

  /** The events each fan-out client receives. */
  private int fanOutEventsPerClient(boolean multi) {
    int events = size.fanOutEvents();
    return multi ? perTopic(events) * TopicSpread.PER_CLIENT : events;
  }

  /** The events published in the fan-out scenario. */
  private long fanOutEvents(boolean multi) {
    int events = size.fanOutEvents();
    return multi ? (long) perTopic(events) * TopicSpread.TOPICS : events;
  }

  private static int perTopic(int eventsPerClient) {
    return (eventsPerClient + TopicSpread.PER_CLIENT - 1) / TopicSpread.PER_CLIENT;
  }

  private String fanOutLabel(boolean multi) {
    String single =
        "fan-out "
            + size.fanOutClients()
            + "×"
            + size.fanOutEvents()
            + " × "
            + Size.EVENT_BYTES
            + " B";
    if (!multi) {
      return single;
    }
    String label =
        "fan-out "
            + size.fanOutClients()
            + "×"
            + fanOutEventsPerClient(true)
            + " × "
            + Size.EVENT_BYTES
            + " B, each client on "
            + MULTI
            + " ("
            + fanOutEvents(true)
            + " events published)";
    report.twin(label, single);
    return label;
  }

  // ---- latency ----

  /**
   * One step of the latency scenario.
   *
   * @param label the report's scenario column
   * @param clients the clients connected during the step
   * @param ratePerClient the events per second each client receives
   * @param publishedRate the events per second published
   */
  private record LatencyStep(String label, int clients, int ratePerClient, double publishedRate) {}

  /**
   * The latency scenario's steps; with {@code multi} those of its multi-topic variant: every client
   * subscribes to {@link TopicSpread#PER_CLIENT} of {@link TopicSpread#TOPICS} topics and the
   * events go to all the topics, TOPICS / PER_CLIENT times as many per second, so that every client
   * receives the same rate on average (and the server delivers as many events per second) while
   * each event reaches only the streams of its topic.
   */
  private List<LatencyStep> latencySteps(boolean multi) {
    List<LatencyStep> steps = new ArrayList<>();
    int total = 0;
    for (int clients : size.latencyClients()) {
      steps.add(latencyStep(clients, 1, multi));
      total = clients;
    }
    for (int rate : size.steppedRates()) {
      steps.add(latencyStep(total, rate, multi));
    }
    return steps;
  }

  private LatencyStep latencyStep(int clients, int rate, boolean multi) {
    String single = "latency " + clients + " clients, " + rate + " ev/s";
    if (!multi) {
      return new LatencyStep(single, clients, rate, rate);
    }
    double published = (double) rate * TopicSpread.TOPICS / TopicSpread.PER_CLIENT;
    String label =
        single + " each, on " + MULTI + " (" + Report.format(published) + " ev/s published)";
    report.twin(label, single);
    return new LatencyStep(label, clients, rate, published);
  }

  private void latency(String contestant, Proc server, Proc client, boolean multi)
      throws Exception {
    int total = 0;
    Map<String, String> connected = null;
    for (LatencyStep step : latencySteps(multi)) {
      if (step.clients() > total) {
        connected = connect(client, step.clients() - total, 0, multi);
        total = step.clients();
        warmUp(server, client, multi);
      }
      Phase phase =
          phase(
              server,
              client,
              Math.round(step.publishedRate() * size.latencySeconds()),
              step.publishedRate(),
              Size.EVENT_BYTES,
              multi,
              Duration.ofSeconds(15));
      String note = phase.failure(connected);
      putLatency(step.label(), contestant, phase, note, "");
      System.out.printf(
          Locale.ROOT,
          "   %s: %s p99 %.1f ms %s%n",
          contestant,
          step.label(),
          phase.micros("p99") / 1000,
          note);
    }
  }

  // ---- multi-topic variants on contestants without multi-topic streams ----

  /** Reports every row of a multi-topic scenario as n/a for {@code contestant}. */
  private void notApplicable(String scenario, String contestant) {
    String why = "n/a: no multi-topic streams";
    if (scenario.equals("fanout-multi")) {
      String label = fanOutLabel(true);
      report.missing(label, "deliveries per second", "1/s", true, contestant, why);
      report.missing(label, "time until every client had every event", "s", false, contestant, why);
    } else {
      for (LatencyStep step : latencySteps(true)) {
        for (String metric : List.of("p50", "p99", "p99.9", "max")) {
          report.missing(step.label(), metric, "ms", false, contestant, why);
        }
      }
    }
  }

  private void putLatency(
      String scenario, String contestant, Phase phase, String note, String prefix) {
    boolean ok = note.isEmpty();
    report.put(
        scenario, prefix + "p50", "ms", false, contestant, phase.micros("p50") / 1000, ok, note);
    report.put(
        scenario, prefix + "p99", "ms", false, contestant, phase.micros("p99") / 1000, ok, note);
    report.put(
        scenario, prefix + "p99.9", "ms", false, contestant, phase.micros("p999") / 1000, ok, note);
    report.put(
        scenario, prefix + "max", "ms", false, contestant, phase.micros("max") / 1000, ok, note);
  }

  // ---- slow ----

  private void slow(String contestant, Proc server, Proc client) throws Exception {
    int clients = size.slowClients();
    int stalled = Math.max(1, clients / 100);
    String scenario =
        "slow "
            + clients
            + " clients, "
            + stalled
            + " stalled, "
            + size.slowEventBytes() / 1024
            + " KiB × "
            + size.slowRate()
            + " ev/s ("
            + size.slowOfferedBytes() / (1 << 20)
            + " MiB offered each)";
    Map<String, String> connected = connect(client, clients - stalled, 0);
    warmUp(server, client);
    Phase baseline =
        phase(
            server,
            client,
            (long) size.slowRate() * Math.max(1, size.slowSeconds() / 3),
            size.slowRate(),
            size.slowEventBytes(),
            Duration.ofSeconds(15));
    Map<String, String> before = server.call("measure", Duration.ofMinutes(1));
    Map<String, String> stalledConnect =
        client.call("connect " + stalled + " " + stalled, connectTimeout(stalled));
    long events = (long) size.slowRate() * size.slowSeconds();
    long first = seq;
    seq += events;
    client.call("expect " + first + " " + (first + events - 1), Duration.ofSeconds(30));
    long start =
        num(
            server.call(
                "publish "
                    + first
                    + " "
                    + events
                    + " "
                    + size.slowRate()
                    + " "
                    + size.slowEventBytes(),
                Duration.ofSeconds(30)),
            "start");
    Map<String, String> awaited =
        client.call(
            "await " + ((size.slowSeconds() + 20) * 1000L),
            Duration.ofSeconds(size.slowSeconds() + 60));
    Map<String, String> stats = server.call("stats", Duration.ofSeconds(30));
    Map<String, String> finished = server.call("finish 1000", Duration.ofSeconds(30));
    Map<String, String> after = server.call("measure", Duration.ofMinutes(1));
    Phase phase = new Phase(start, awaited, finished);
    String baselineNote = baseline.failure(connected);
    String note = phase.failure(connected);
    boolean ok = note.isEmpty();
    putLatency(scenario, contestant, baseline, baselineNote, "others' baseline (none stalled) ");
    putLatency(scenario, contestant, phase, note, "others' with stalled ");
    double increase =
        100.0
            * (phase.micros("p99") - baseline.micros("p99"))
            / Math.max(1, baseline.micros("p99"));
    report.put(
        scenario,
        "others' p99 increase",
        "%",
        false,
        contestant,
        increase,
        ok && baselineNote.isEmpty(),
        note);
    long cutoffs = num(stats, "cutoffs");
    report.put(
        scenario,
        "stalled streams cut off",
        "streams",
        true,
        contestant,
        cutoffs,
        true,
        "of " + Integer.parseInt(stalledConnect.get("ok")));
    long lastCutoff = num(stats, "lastCutoff");
    if (cutoffs > 0 && lastCutoff > start) {
      report.put(
          scenario,
          "time until the last stalled stream was cut off",
          "s",
          false,
          contestant,
          (lastCutoff - start) / 1e9,
          cutoffs >= stalled,
          cutoffs >= stalled ? "" : "not all");
    } else {
      report.missing(
          scenario,
          "time until the last stalled stream was cut off",
          "s",
          false,
          contestant,
          "never");
    }
    report.put(
        scenario,
        "server heap growth (after GC)",
        "MiB",
        false,
        contestant,
        (num(after, "heap") - num(before, "heap")) / KIB / KIB,
        true,
        "");
    report.put(
        scenario,
        "threads blocked in a write at the end",
        "threads",
        false,
        contestant,
        num(stats, "blocked"),
        true,
        Boolean.parseBoolean(stats.get("publishing")) ? "publisher stuck" : "");
    System.out.printf(
        Locale.ROOT,
        "   %s: p99 %.1f → %.1f ms, cut off %d, blocked %s %s%n",
        contestant,
        baseline.micros("p99") / 1000,
        phase.micros("p99") / 1000,
        cutoffs,
        stats.get("blocked"),
        note);
  }

  // ---- churn ----

  private void churn(String contestant, Proc server, Proc client) throws Exception {
    int clients = size.churnClients();
    String scenario =
        "churn "
            + clients
            + " clients, "
            + size.churnPerMille() / 10.0
            + "%/s reconnect, "
            + size.churnRate()
            + " ev/s";
    Map<String, String> connected = connect(client, clients, 0);
    warmUp(server, client);
    long events = (long) size.churnRate() * size.churnSeconds();
    long first = seq;
    seq += events;
    client.call("expect " + first + " " + (first + events - 1), Duration.ofSeconds(30));
    client.call("churn " + size.churnPerMille(), Duration.ofSeconds(30));
    long start =
        num(
            server.call(
                "publish " + first + " " + events + " " + size.churnRate() + " " + Size.EVENT_BYTES,
                Duration.ofSeconds(30)),
            "start");
    Map<String, String> finished =
        server.call(
            "finish " + (size.churnSeconds() + 30) * 1000L,
            Duration.ofSeconds(size.churnSeconds() + 60));
    Map<String, String> reconnects = client.call("churn 0", Duration.ofSeconds(30));
    Map<String, String> awaited = client.call("await 10000", Duration.ofSeconds(60));
    Phase phase = new Phase(start, awaited, finished);
    long gaps = num(awaited, "gaps");
    long dupes = num(awaited, "dupes");
    boolean ok = gaps == 0 && dupes == 0;
    String replay = REPLAY.contains(name) ? "" : "no replay";
    report.put(
        scenario,
        "events missed after a reconnect (gaps)",
        "events",
        false,
        contestant,
        gaps,
        ok,
        ok ? replay : "gaps");
    report.put(
        scenario,
        "events received twice",
        "events",
        false,
        contestant,
        dupes,
        ok,
        ok ? "" : "dupes");
    report.put(
        scenario,
        "reconnects",
        "reconnects",
        true,
        contestant,
        num(reconnects, "reconnects"),
        true,
        "");
    report.put(
        scenario,
        "reconnect latency p99 (connect → headers)",
        "ms",
        false,
        contestant,
        num(reconnects, "p99") / 1000.0,
        true,
        "");
    String note = phase.failure(connected);
    report.put(
        scenario, "p99", "ms", false, contestant, phase.micros("p99") / 1000, note.isEmpty(), note);
    System.out.printf(
        Locale.ROOT,
        "   %s: %s reconnects, gaps %d, dupes %d%n",
        contestant,
        reconnects.get("reconnects"),
        gaps,
        dupes);
  }

  // ---- shared steps ----

  private Map<String, String> connect(Proc client, int count, int stalled) throws Exception {
    return connect(client, count, stalled, false);
  }

  private Map<String, String> connect(Proc client, int count, int stalled, boolean multi)
      throws Exception {
    return client.call(
        "connect " + count + " " + stalled + (multi ? " multi" : ""), connectTimeout(count));
  }

  private static Duration connectTimeout(int count) {
    return Duration.ofSeconds(120 + count / 100);
  }

  /**
   * Warms both JVMs up (class loading, JIT) on the paths about to be measured, the same for every
   * contestant: {@link #WARM_UP_EVENTS} events at 50 per second, not recorded. Its outcome is not
   * checked; the measured phase that follows checks everything. At most about 20 s (+ what a
   * blocked publisher needs to finish).
   */
  private void warmUp(Proc server, Proc client) throws IOException, InterruptedException {
    warmUp(server, client, false);
  }

  /**
   * Warms up as {@link #warmUp(Proc, Proc)} does; with {@code multi}, the multi-topic streams, with
   * as many events per client (TOPICS / PER_CLIENT times as many published, as fast).
   */
  private void warmUp(Proc server, Proc client, boolean multi)
      throws IOException, InterruptedException {
    int scale = multi ? TopicSpread.TOPICS / TopicSpread.PER_CLIENT : 1;
    long events = (long) WARM_UP_EVENTS * scale;
    long first = seq;
    seq += events;
    client.call("expect " + first + " " + (first + events - 1), Duration.ofSeconds(30));
    server.call(
        "publish "
            + first
            + " "
            + events
            + " "
            + 50 * scale
            + " "
            + Size.EVENT_BYTES
            + (multi ? " multi" : ""),
        Duration.ofSeconds(30));
    client.call("await 20000", Duration.ofSeconds(80));
    // a slow contestant may still be publishing: the next phase must start on an idle publisher
    server.call("finish 120000", Duration.ofSeconds(180));
  }

  /**
   * Publishes {@code events} at {@code rate} (0: as fast as possible) and waits for every client.
   */
  private Phase phase(Proc server, Proc client, long events, int rate, int bytes, Duration grace)
      throws IOException, InterruptedException {
    return phase(server, client, events, rate, bytes, false, grace);
  }

  /**
   * Publishes {@code events} at {@code rate} per second (0: as fast as possible), to the
   * multi-topic streams' topics if {@code multi}, and waits for every client.
   */
  private Phase phase(
      Proc server, Proc client, long events, double rate, int bytes, boolean multi, Duration grace)
      throws IOException, InterruptedException {
    long first = seq;
    seq += events;
    client.call("expect " + first + " " + (first + events - 1), Duration.ofSeconds(30));
    long start =
        num(
            server.call(
                "publish "
                    + first
                    + " "
                    + events
                    + " "
                    + rate
                    + " "
                    + bytes
                    + (multi ? " multi" : ""),
                Duration.ofSeconds(30)),
            "start");
    long publishMillis = rate > 0 ? (long) (events * 1000 / rate) : 0;
    Map<String, String> awaited =
        client.call(
            "await " + (publishMillis + grace.toMillis()),
            Duration.ofMillis(publishMillis + grace.toMillis() + 60_000));
    Map<String, String> finished = server.call("finish 1000", Duration.ofSeconds(30));
    return new Phase(start, awaited, finished);
  }

  private static long num(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("answer has no " + key + ": " + values);
    }
    return Long.parseLong(value);
  }

  /** What the client saw of one publishing phase. */
  private static final class Phase {
    final long start;
    final long lastRecv;
    final long deliveries;
    final Map<String, String> awaited;
    final Map<String, String> finished;

    Phase(long start, Map<String, String> awaited, Map<String, String> finished) {
      this.start = start;
      this.awaited = awaited;
      this.finished = finished;
      this.lastRecv = num(awaited, "lastRecv");
      this.deliveries = num(awaited, "deliveries");
    }

    double micros(String percentile) {
      return num(awaited, percentile);
    }

    /** Returns why the phase failed its checks, or an empty string. */
    String failure(Map<String, String> connected) {
      List<String> problems = new ArrayList<>();
      long failedConnects = num(connected, "failed");
      if (failedConnects > 0) {
        problems.add(failedConnects + " connects failed");
      }
      long complete = num(awaited, "complete");
      long of = num(awaited, "of");
      if (complete < of) {
        problems.add(
            String.format(
                Locale.ROOT, "%.1f%% of clients complete", 100.0 * complete / Math.max(1, of)));
      }
      if (num(awaited, "gaps") > 0) {
        problems.add(awaited.get("gaps") + " missing");
      }
      if (num(awaited, "dupes") > 0) {
        problems.add(awaited.get("dupes") + " duplicated");
      }
      if (num(awaited, "foreign") > 0) {
        problems.add(awaited.get("foreign") + " of topics not subscribed");
      }
      if (!Boolean.parseBoolean(finished.get("done"))) {
        problems.add("publisher blocked");
      }
      return String.join(", ", problems);
    }
  }
}
