package org.ssekit.benchmarks;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks with the {@code gc} profiler and adds their results to the report. */
final class JmhRun {
  private JmhRun() {}

  static void run(Size size, Report report, Path logs) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(EncoderBenchmark.class.getName())
            .include(FanOutBenchmark.class.getName())
            .addProfiler(GCProfiler.class)
            .warmupIterations(size.jmhIterations())
            .warmupTime(TimeValue.seconds(size.jmhSeconds()))
            .measurementIterations(size.jmhIterations())
            .measurementTime(TimeValue.seconds(size.jmhSeconds()))
            .forks(1)
            .output(logs.resolve("jmh.log").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> encoder = new HashMap<>();
    report.jmhLine("| benchmark | payload / subscribers | score | unit | allocated B/op | note |");
    report.jmhLine("|---|---|---|---|---|---|");
    Map<String, Integer> encodedBytes = new HashMap<>();
    for (String payload : List.of("short", "multiline", "json4k")) {
      EncoderBenchmark sizing = new EncoderBenchmark();
      sizing.payload = payload;
      sizing.setUp();
      encodedBytes.put(payload, sizing.ssekit().length);
      sizing.tearDown();
    }
    for (RunResult run : results) {
      String benchmark = run.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String param =
          run.getParams().getParam("payload") != null
              ? run.getParams().getParam("payload")
              : run.getParams().getParam("subscribers");
      Result<?> primary = run.getPrimaryResult();
      Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
      double allocated = alloc == null ? Double.NaN : alloc.getScore();
      String note = "";
      if (method.equals("publishToAll")) {
        int subscribers = Integer.parseInt(param);
        double perDelivery = allocated / subscribers;
        note =
            String.format(
                Locale.ROOT,
                "%.1f B allocated per delivery; %.0f ns per delivery",
                perDelivery,
                primary.getScore() * 1000 / subscribers);
        report.put(
            "jmh fan-out to " + subscribers + " no-op transports",
            "allocation per delivery",
            "B",
            false,
            "ssekit-core",
            perDelivery,
            true,
            "");
        report.put(
            "jmh fan-out to " + subscribers + " no-op transports",
            "time per delivery",
            "ns",
            false,
            "ssekit-core",
            primary.getScore() * 1000 / subscribers,
            true,
            "");
      } else {
        encoder.computeIfAbsent(param, k -> new double[2])[method.equals("ssekit") ? 0 : 1] =
            primary.getScore();
        note =
            String.format(
                Locale.ROOT,
                "%d B per event: %.0f MB/s",
                encodedBytes.get(param),
                encodedBytes.get(param) * 1000.0 / primary.getScore());
        report.put(
            "jmh encode " + param,
            "time per event",
            "ns",
            false,
            method.equals("ssekit") ? "ssekit-core" : "jersey-writer",
            primary.getScore(),
            true,
            "");
        report.put(
            "jmh encode " + param,
            "allocation per event",
            "B",
            false,
            method.equals("ssekit") ? "ssekit-core" : "jersey-writer",
            allocated,
            true,
            "");
      }
      report.jmhLine(
          String.format(
              Locale.ROOT,
              "| %s.%s | %s | %s ± %s | %s | %s | %s |",
              benchmark.substring(
                  benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1,
                  benchmark.lastIndexOf('.')),
              method,
              param,
              Report.format(primary.getScore()),
              Report.format(primary.getScoreError()),
              primary.getScoreUnit(),
              Report.format(allocated),
              note));
    }
    for (Map.Entry<String, double[]> entry : encoder.entrySet()) {
      double[] scores = entry.getValue();
      if (scores[0] > 0 && scores[1] > 0) {
        report.jmhLine(
            String.format(
                Locale.ROOT,
                "\nJersey's writer / ssekit's encoder, %s: %.1f× the time per event",
                entry.getKey(),
                scores[1] / scores[0]));
      }
    }
  }
}
