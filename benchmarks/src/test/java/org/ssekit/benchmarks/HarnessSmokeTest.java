package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness at its seconds-long {@code smoke} size so that it cannot rot: real server and
 * client JVMs, real containers, every contestant. It checks that the harness works and that the
 * numbers pass their own checks, never how fast anything is.
 */
class HarnessSmokeTest {
  private static final Path OUT = Path.of("target", "smoke-results");

  @Test
  void everyContestantDeliversEveryEventInOrder() throws Exception {
    Bench.Run run =
        Bench.run(
            Bench.Options.parse(
                new String[] {"fanout", "--size", "smoke", "--out", OUT.toString()}),
            "fanout --size smoke");

    Report report = run.report();
    for (String contestant : Contestant.NAMES) {
      Report.Cell cell = cell(report, "deliveries per second", contestant);
      assertThat(cell).as(contestant).isNotNull();
      assertThat(cell.valid()).as(contestant + ": " + cell.note()).isTrue();
      assertThat(cell.value()).as(contestant).isPositive();
    }
    assertThat(Files.readString(run.markdown()))
        .contains("| fan-out 20×20 × 100 B | deliveries per second");
    assertThat(Files.readString(Path.of(run.base() + ".csv"))).startsWith("scenario,metric,unit");
    assertThat(Files.readString(Path.of(run.base() + ".json"))).contains("\"rows\"");
  }

  @Test
  void ssekitPassesEveryScenarioAtSmokeSize() throws Exception {
    Report report =
        Bench.run(
                Bench.Options.parse(
                    new String[] {
                      "hold,latency,slow,churn",
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
        Report.Cell cell = cell(report, metric, contestant);
        assertThat(cell).as(contestant + " " + metric).isNotNull();
        assertThat(cell.valid()).as(contestant + " " + metric + ": " + cell.note()).isTrue();
      }
      assertThat(cell(report, "reconnects", contestant).value())
          .as(contestant + " reconnects")
          .isPositive();
    }
  }

  /** Finds the first row with {@code metric} that has a cell for {@code contestant}. */
  private static Report.Cell cell(Report report, String metric, String contestant) {
    return report.rows().stream()
        .filter(row -> row.metric().equals(metric))
        .map(row -> row.cells().get(contestant))
        .filter(c -> c != null)
        .findFirst()
        .orElse(null);
  }
}
