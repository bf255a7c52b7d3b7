package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@code cluster} scenario at its {@code smoke} size (300 streams over three nodes on one
 * real redis-server, then a rolling restart of 300) so that it cannot rot. It checks that the
 * harness works, that both outages really cut clients off, and that every client then had every
 * event once and in order; never how fast anything is.
 */
class ClusterSmokeTest {
  private static final Path OUT = Path.of("target", "smoke-results");
  private static final String COLUMN = "ssekit-jetty";

  @Test
  void threeNodesHoldTheirStreamsAndARollingRestartLosesNothing() throws Exception {
    Report report =
        Bench.run(
                Bench.Options.parse(
                    new String[] {
                      "cluster", "--size", "smoke", "--contestants", COLUMN, "--out", OUT.toString()
                    }),
                "cluster --size smoke")
            .report();

    for (Report.Row row : report.rows()) {
      Report.Cell cell = row.cells().get(COLUMN);
      assertThat(cell).as(row.scenario() + " " + row.metric()).isNotNull();
      assertThat(cell.valid())
          .as(row.scenario() + " " + row.metric() + ": " + cell.note())
          .isTrue();
    }
    assertThat(value(report, "", "streams held, all nodes")).isEqualTo(300);
    for (String metric :
        List.of(
            "single node, in-memory hub: p99",
            "same node: p99",
            "cross node: p99",
            "acknowledged publishes per second through Redis, 100 topics")) {
      assertThat(value(report, "", metric)).as(metric).isPositive();
    }
    for (String outage : List.of("stopped gracefully", "killed (SIGKILL)")) {
      assertThat(value(report, outage, "clients cut off")).as(outage).isPositive();
      assertThat(value(report, outage, "reconnects absorbed per second (first to last)"))
          .as(outage)
          .isPositive();
    }
    assertThat(value(report, "rolling restart", "events lost (all clients)")).isZero();
    assertThat(value(report, "rolling restart", "events received twice (all clients)")).isZero();
    assertThat(value(report, "rolling restart", "clients with every event once, in order"))
        .isEqualTo(300);
  }

  /** The value of the first row with {@code metric} whose scenario contains {@code scenario}. */
  private static double value(Report report, String scenario, String metric) {
    return report.rows().stream()
        .filter(row -> row.metric().equals(metric) && row.scenario().contains(scenario))
        .map(row -> row.cells().get(COLUMN))
        .filter(cell -> cell != null)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + scenario + " / " + metric))
        .value();
  }
}
