package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's row order and its n/a cells. */
class ReportTest {
  @Test
  void aTwinsRowsFollowTheRowsOfTheSameMetricOfTheScenarioTheyAreComparedWith() {
    Report report = new Report(List.of("ssekit-jetty", "jetty-es"));
    report.put("single", "p50", "ms", false, "ssekit-jetty", 1, true, "");
    report.put("single", "p99", "ms", false, "ssekit-jetty", 2, true, "");
    report.put("other", "p99", "ms", false, "ssekit-jetty", 3, true, "");
    report.twin("multi", "single");
    report.put("multi", "p50", "ms", false, "ssekit-jetty", 4, true, "");
    report.put("multi", "p99", "ms", false, "ssekit-jetty", 5, true, "");
    report.put("multi", "max", "ms", false, "ssekit-jetty", 6, true, "");

    assertThat(report.rows())
        .extracting(row -> row.scenario() + " " + row.metric())
        .containsExactly(
            "single p50", "multi p50", "single p99", "multi p99", "other p99", "multi max");
    assertThat(report.csv().lines().skip(1).map(line -> line.split(",")[0] + line.split(",")[1]))
        .containsExactly("singlep50", "multip50", "singlep99", "multip99", "otherp99", "multimax");
  }

  @Test
  void aStockContestantThatHasNoSuchStreamIsNotAFailedOne() {
    Report report = new Report(List.of("ssekit-jetty", "jetty-es"));
    report.put("multi", "p99", "ms", false, "ssekit-jetty", 5, true, "");
    report.missing("multi", "p99", "ms", false, "jetty-es", "n/a: no multi-topic streams");
    report.put("single", "p99", "ms", false, "ssekit-jetty", 5, true, "");
    report.put("single", "p99", "ms", false, "jetty-es", 7, false, "3 missing");

    String markdown = report.markdown();
    assertThat(markdown)
        .contains("| multi | p99 | ms ↓ | 5 | n/a: no multi-topic streams |  |  |\n")
        .contains("| single | p99 | ms ↓ | 5 | 7 ✗ 3 missing | stock all failed |  |\n");
  }
}
