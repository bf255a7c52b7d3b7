package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness at its seconds-long {@code smoke} size so that it cannot rot: real server and
 * client JVMs, real containers, every contestant; the multi-topic variants (every client on 8 of
 * 100 topics) on every contestant that has multi-topic streams, beside the single-topic rows. It
 * checks that the harness works and that the numbers pass their own checks, never how fast anything
 * is.
 */
class HarnessSmokeTest {
  private static final Path OUT = Path.of("target", "smoke-results");
  private static final String MULTI = "8 of 100 topics";

  @Test
  void everyContestantDeliversEveryEventInOrder() throws Exception {
    Bench.Run run =
        Bench.run(
            Bench.Options.parse(
                new String[] {"fanout,fanout-multi", "--size", "smoke", "--out", OUT.toString()}),
            "fanout,fanout-multi --size smoke");

    Report report = run.report();
    for (String contestant : Contestant.NAMES) {
      Report.Cell cell = cell(report, false, "deliveries per second", contestant);
      assertThat(cell).as(contestant).isNotNull();
      assertThat(cell.valid()).as(contestant + ": " + cell.note()).isTrue();
      assertThat(cell.value()).as(contestant).isPositive();
      Report.Cell multi = cell(report, true, "deliveries per second", contestant);
      assertThat(multi).as(contestant + " multi").isNotNull();
      if (Contestant.MULTI_TOPIC.contains(contestant)) {
        assertThat(multi.valid()).as(contestant + " multi: " + multi.note()).isTrue();
        assertThat(multi.value()).as(contestant + " multi").isPositive();
      } else {
        assertThat(multi.valid()).as(contestant + " multi").isFalse();
        assertThat(multi.note()).as(contestant + " multi").isEqualTo("n/a: no multi-topic streams");
      }
    }
    // side by side: each multi-topic row right below the single-topic row of the same metric
    assertThat(Files.readString(run.markdown()))
        .containsPattern(
            "\\| fan-out 20×20 × 100 B \\| deliveries per second \\|[^\\n]*\\n"
                + "\\| fan-out 20×24 × 100 B, each client on 8 of 100 topics \\(300 events"
                + " published\\) \\| deliveries per second \\|");
    assertThat(Files.readString(Path.of(run.base() + ".csv"))).startsWith("scenario,metric,unit");
    assertThat(Files.readString(Path.of(run.base() + ".json"))).contains("\"rows\"");
  }

  @Test
  void ssekitPassesEveryScenarioAtSmokeSize() throws Exception {
    Report report =
        Bench.run(
                Bench.Options.parse(
                    new String[] {
                      "hold,latency,latency-multi,slow,churn",
                      "--size",
                      "smoke",
                      "--contestants",
                      "ssekit-jetty,ssekit-tomcat",
                      "--out",
                      OUT.toString()
                    }),
                "smoke")
            .report();

    for (String contestant : List.of("ssekit-jetty", "ssekit-tomcat")) {
      for (String metric :
          List.of(
              "streams held",
              "keep-alive round: all streams got one within",
              "p99",
              "others' with stalled p99",
              "events missed after a reconnect (gaps)",
              "events received twice")) {
        Report.Cell cell = cell(report, false, metric, contestant);
        assertThat(cell).as(contestant + " " + metric).isNotNull();
        assertThat(cell.valid()).as(contestant + " " + metric + ": " + cell.note()).isTrue();
      }
      Report.Cell multi = cell(report, true, "p99", contestant);
      assertThat(multi).as(contestant + " multi p99").isNotNull();
      assertThat(multi.valid()).as(contestant + " multi p99: " + multi.note()).isTrue();
      assertThat(cell(report, false, "reconnects", contestant).value())
          .as(contestant + " reconnects")
          .isPositive();
    }
  }

  /**
   * Finds the first row with {@code metric} of a multi-topic scenario (or of a single-topic one)
   * that has a cell for {@code contestant}.
   */
  private static Report.Cell cell(
      Report report, boolean multiTopic, String metric, String contestant) {
    return report.rows().stream()
        .filter(row -> row.metric().equals(metric))
        .filter(row -> row.scenario().contains(MULTI) == multiTopic)
        .map(row -> row.cells().get(contestant))
        .filter(c -> c != null)
        .findFirst()
        .orElse(null);
  }
}
