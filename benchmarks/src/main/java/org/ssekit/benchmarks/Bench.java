package org.ssekit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the benchmarks jar.
 *
 * <pre>
 * java -jar benchmarks/target/ssekit-bench.jar [all|SCENARIO[,SCENARIO...]] [--size quick|full|smoke]
 *     [--contestants NAME,...] [--rounds N] [--pinned] [--jfr] [--out DIR]
 * </pre>
 *
 * Scenarios: {@code hold fanout fanout-multi latency latency-multi slow churn jmh}; {@code all}
 * runs them all, in that order; {@code cluster} ({@link ClusterScenario}) runs only when named. The
 * {@code -multi} variants ({@link TopicSpread}) run only the contestants with multi-topic streams
 * ({@link Contestant#MULTI_TOPIC}); their rows sit beside the single-topic rows. Contestants: see
 * {@link Contestant#NAMES}; the Spring Boot ones ({@link SpringClassPath}) run only when named.
 * {@code --rounds N} runs each scenario N times over the contestants in turn (A B C, A B C, ...),
 * each round in its own column, and adds the spread across rounds to the results. {@code --pinned}
 * runs each server on CPU 0 and the load client on CPU 1 ({@code taskset}); {@code --jfr} makes
 * every server JVM and load client record a JFR profile. Results go to {@code
 * DIR/<time>-<size>.{md,csv,json}}, the child processes' logs to {@code DIR/<time>-<size>-logs/};
 * DIR defaults to {@code benchmarks/results} (or {@code results} when started inside {@code
 * benchmarks}).
 *
 * <p><b>Thread safety:</b> a run is driven by one thread.
 */
public final class Bench {
  static final List<String> SCENARIOS =
      List.of("hold", "fanout", "fanout-multi", "latency", "latency-multi", "slow", "churn", "jmh");

  /**
   * The scenarios run only when named ({@code all} leaves them out): {@link ClusterScenario}, which
   * runs {@code ssekit-jetty} only, on nodes sharing a Redis.
   */
  static final List<String> NAMED_ONLY = List.of(ClusterScenario.NAME);

  private Bench() {}

  /** Runs the command line. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      Server.main(args[1], Integer.parseInt(args[2]));
      return;
    }
    if (args.length > 0 && args[0].equals("client")) {
      LoadClient.main(args[1], Integer.parseInt(args[2]));
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: java -jar ssekit-bench.jar [all|"
              + String.join(",", SCENARIOS)
              + ","
              + String.join(",", NAMED_ONLY)
              + "]"
              + " [--size quick|full|smoke] [--contestants "
              + String.join(",", Contestant.ALL)
              + "]"
              + " [--rounds N] [--pinned] [--jfr] [--out DIR]");
      System.exit(2);
      return;
    }
    Run run = run(options, String.join(" ", args));
    System.out.println("results: " + run.markdown());
  }

  /**
   * One finished run.
   *
   * @param base the results' path without its extension ({@code .md}, {@code .csv}, {@code .json})
   * @param report the results
   */
  record Run(Path base, Report report) {
    /** Returns the Markdown results. */
    Path markdown() {
      return Path.of(base + ".md");
    }
  }

  /** Runs {@code options}; {@code arguments} is the command line recorded in the results. */
  static Run run(Options options, String arguments) throws Exception {
    String stamp =
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'"));
    Path base =
        options
            .out()
            .resolve(stamp + "-" + options.size().name() + (options.pinned() ? "-pinned" : ""));
    Path logs = Path.of(base + "-logs");
    Files.createDirectories(logs);
    for (String contestant : options.contestants("hold")) {
      SpringClassPath.serverClassPath(
          contestant); // fails now, not after an hour, if it is not built
    }
    Report report =
        new Report(
            columns(
                options.scenarios().contains("hold")
                    ? options.contestants("hold")
                    : options.contestants(),
                options.rounds()));
    report.meta(
        "date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    report.meta("command", "java -jar benchmarks/target/ssekit-bench.jar " + arguments);
    report.meta("machine", Machine.describe());
    report.meta("load average at start", Machine.loadAverage());
    report.meta("size", options.size().toString());
    report.meta(
        "rounds",
        options.rounds() == 1
            ? "1"
            : options.rounds()
                + ", alternating: each scenario runs every contestant once per round, in order;"
                + " column NAME #R is round R");
    report.meta("server JVM flags", String.join(" ", Scenarios.serverFlags(options.size())));
    report.meta("client JVM flags", String.join(" ", Scenarios.CLIENT_FLAGS));
    report.meta(
        "pinned", options.pinned() ? "server on CPU 0, load client on CPU 1 (taskset)" : "no");
    Scenarios scenarios = new Scenarios(options, report, logs);
    for (String scenario : options.scenarios()) {
      long start = System.nanoTime();
      System.out.println("== " + scenario);
      if (scenario.equals("jmh")) {
        JmhRun.run(options.size(), report, logs);
      } else if (scenario.equals(ClusterScenario.NAME)) {
        for (int round = 1; round <= options.rounds(); round++) {
          new ClusterScenario(options.size(), report, logs)
              .run(column("ssekit-jetty", round, options.rounds()));
        }
      } else {
        for (int round = 1; round <= options.rounds(); round++) {
          for (String contestant : options.contestants(scenario)) {
            scenarios.run(scenario, contestant, column(contestant, round, options.rounds()));
          }
        }
      }
      System.out.printf(
          Locale.ROOT, "== %s took %d s%n", scenario, (System.nanoTime() - start) / 1_000_000_000L);
      report.meta("load average at end", Machine.loadAverage());
      report.write(base); // after every scenario, so that an interrupted run keeps what it measured
    }
    System.out.println(report.markdown());
    return new Run(base, report);
  }

  /** The report's columns: the contestants, or with several rounds each contestant once a round. */
  static List<String> columns(List<String> contestants, int rounds) {
    List<String> columns = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (String contestant : contestants) {
        columns.add(column(contestant, round, rounds));
      }
    }
    return List.copyOf(columns);
  }

  /**
   * The column of {@code contestant} in {@code round}: its name, and {@code " #R"} if rounds > 1.
   */
  static String column(String contestant, int round, int rounds) {
    return rounds == 1 ? contestant : contestant + Report.ROUND + round;
  }

  /**
   * The parsed command line.
   *
   * @param scenarios the scenarios to run, in order
   * @param size the run's size
   * @param contestants the contestants to run, in order
   * @param defaultContestants whether the contestants were not named (then hold adds the tuned
   *     ones)
   * @param rounds how many times each scenario runs every contestant, alternating (1 to 20)
   * @param pinned whether to pin server and client to one CPU each
   * @param jfr whether each server JVM and load client record a JFR profile beside their logs
   * @param out the directory under which the run's directory is created
   */
  record Options(
      List<String> scenarios,
      Size size,
      List<String> contestants,
      boolean defaultContestants,
      int rounds,
      boolean pinned,
      boolean jfr,
      Path out) {
    /** Returns the contestants of {@code scenario}. */
    List<String> contestants(String scenario) {
      if (scenario.equals("hold") && defaultContestants) {
        List<String> all = new ArrayList<>(contestants);
        all.addAll(Contestant.TUNED);
        return all;
      }
      return contestants;
    }

    static Options parse(String[] args) {
      List<String> scenarios = SCENARIOS;
      Size size = Size.named("quick");
      List<String> contestants = null;
      int rounds = 1;
      boolean pinned = false;
      boolean jfr = false;
      Path out =
          Files.isDirectory(Path.of("benchmarks"))
              ? Path.of("benchmarks", "results")
              : Path.of("results");
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--size":
            size = Size.named(value(args, ++i, arg));
            break;
          case "--contestants":
            contestants = split(value(args, ++i, arg), Contestant.ALL, "contestant");
            break;
          case "--rounds":
            rounds = rounds(value(args, ++i, arg));
            break;
          case "--pinned":
            pinned = true;
            break;
          case "--jfr":
            jfr = true;
            break;
          case "--out":
            out = Path.of(value(args, ++i, arg));
            break;
          default:
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option: " + arg);
            }
            scenarios =
                arg.equals("all")
                    ? SCENARIOS
                    : split(
                        arg,
                        java.util.stream.Stream.concat(SCENARIOS.stream(), NAMED_ONLY.stream())
                            .toList(),
                        "scenario");
        }
      }
      return new Options(
          scenarios,
          size,
          contestants == null ? Contestant.NAMES : contestants,
          contestants == null,
          rounds,
          pinned,
          jfr,
          out);
    }

    private static int rounds(String value) {
      int rounds;
      try {
        rounds = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--rounds must be a whole number from 1 to 20: " + value);
      }
      if (rounds < 1 || rounds > 20) {
        throw new IllegalArgumentException(
            "--rounds must be a whole number from 1 to 20: " + value);
      }
      return rounds;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static List<String> split(String list, List<String> known, String what) {
      List<String> names = new ArrayList<>(Arrays.asList(list.split(",")));
      for (String name : names) {
        if (!known.contains(name)) {
          throw new IllegalArgumentException("unknown " + what + ": " + name + "; known: " + known);
        }
      }
      return List.copyOf(names);
    }
  }

  /** Describes the machine for the results. */
  static final class Machine {
    private Machine() {}

    static String describe() {
      return Runtime.getRuntime().availableProcessors()
          + " cores ("
          + cpuModel()
          + "), "
          + memory()
          + ", Java "
          + System.getProperty("java.vm.version")
          + " ("
          + System.getProperty("java.vm.name")
          + "), "
          + System.getProperty("os.name")
          + " "
          + System.getProperty("os.version")
          + ", open-file limit "
          + openFileLimit();
    }

    static String loadAverage() {
      try {
        return Files.readString(Path.of("/proc/loadavg")).trim();
      } catch (IOException e) {
        return "unknown";
      }
    }

    private static String cpuModel() {
      try {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("unknown CPU");
      } catch (IOException e) {
        return "unknown CPU";
      }
    }

    private static String memory() {
      try {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal"))
            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB memory")
            .findFirst()
            .orElse("unknown memory");
      } catch (IOException | NumberFormatException e) {
        return "unknown memory";
      }
    }

    private static String openFileLimit() {
      try {
        return Files.readAllLines(Path.of("/proc/self/limits")).stream()
            .filter(l -> l.startsWith("Max open files"))
            .map(l -> l.replaceAll("\\s+", " ").split(" ")[3])
            .findFirst()
            .orElse("unknown");
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }
  }
}
