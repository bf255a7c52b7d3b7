package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness at its seconds-long {@code smoke} size on the two Spring Boot contestants, so
 * that they cannot rot: real server JVMs running the Boot applications on Tomcat 10.1, the real
 * load client, the scenarios the issue compares them in (hold, fan-out, latency, 1% stalled). It
 * checks that every client of every phase got every event once and in order, and that the streams
 * were held; never how fast anything is.
 */
class SpringHarnessSmokeTest {
  private static final Path OUT = Path.of("target", "smoke-results");
  private static final List<String> CONTESTANTS = SpringClassPath.CONTESTANTS;

  @Test
  void bothSpringContestantsPassEveryComparedScenarioAtSmokeSize() throws Exception {
    Bench.Run run =
        Bench.run(
            Bench.Options.parse(
                new String[] {
                  "hold,fanout,latency,slow",
                  "--size",
                  "smoke",
                  "--contestants",
                  String.join(",", CONTESTANTS),
                  "--out",
                  OUT.toString()
                }),
            "spring smoke");
    Report report = run.report();

    // Boot 3.5's own Tomcat 10.1, not the harness's Tomcat 11 (which a Class-Path manifest of the
    // harness's jar once put first on this class path)
    assertThat(Files.readString(run.markdown()))
        .contains("Spring Boot 3.5.")
        .contains("Apache Tomcat/10.1.")
        .doesNotContain("Apache Tomcat/11.");

    assertThat(report.rows())
        .as("rows of a contestant that could not run")
        .noneMatch(row -> row.metric().equals("error"));
    for (String contestant : CONTESTANTS) {
      for (String metric :
          List.of(
              "streams held",
              "heap + direct per stream",
              "deliveries per second",
              "p99",
              "others' baseline (none stalled) p99")) {
        Report.Cell cell = cell(report, metric, contestant);
        assertThat(cell).as(contestant + " " + metric).isNotNull();
        assertThat(cell.valid()).as(contestant + " " + metric + ": " + cell.note()).isTrue();
        assertThat(cell.value()).as(contestant + " " + metric).isPositive();
      }
      // the stalled client connected (it is offered too little at this size to stall anything)
      assertThat(cell(report, "stalled streams cut off", contestant).note())
          .as(contestant + " stalled clients")
          .isEqualTo("of 1");
    }
    Report.Cell keepAlive =
        cell(report, "keep-alive round: all streams got one within", "ssekit-spring");
    assertThat(keepAlive.valid()).as("ssekit-spring keep-alive: " + keepAlive.note()).isTrue();
    assertThat(
            cell(report, "keep-alive round: all streams got one within", "spring-emitter").note())
        .isEqualTo("n/a: no keep-alive");
  }

  private static Report.Cell cell(Report report, String metric, String contestant) {
    return report.rows().stream()
        .filter(row -> row.metric().equals(metric))
        .map(row -> row.cells().get(contestant))
        .filter(c -> c != null)
        .findFirst()
        .orElse(null);
  }
}
