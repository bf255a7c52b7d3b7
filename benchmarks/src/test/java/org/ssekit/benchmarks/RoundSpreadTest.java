package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundSpreadTest {
  private static final List<String> CONTESTANTS = List.of("ssekit-spring", "spring-emitter");

  @Test
  void eachContestantGetsTheMedianAndRangeOfItsPassingRoundsAndThePairTheRatioOfMedians() {
    Report report = new Report(Bench.columns(CONTESTANTS, 3));
    double[] ours = {300, 100, 200};
    double[] theirs = {10, 20, 50};
    for (int round = 1; round <= 3; round++) {
      report.put(
          "fan-out",
          "deliveries per second",
          "1/s",
          true,
          Bench.column("ssekit-spring", round, 3),
          ours[round - 1],
          true,
          "");
      // the emitter's third round failed its checks: it never counts
      report.put(
          "fan-out",
          "deliveries per second",
          "1/s",
          true,
          Bench.column("spring-emitter", round, 3),
          theirs[round - 1],
          round < 3,
          "3 missing");
      report.missing(
          "hold",
          "keep-alive round",
          "s",
          false,
          Bench.column("spring-emitter", round, 3),
          "n/a: no keep-alive");
      report.put(
          "hold",
          "keep-alive round",
          "s",
          false,
          Bench.column("ssekit-spring", round, 3),
          5,
          true,
          "");
    }

    assertThat(report.markdown())
        .contains("| ssekit-spring #1 | spring-emitter #1 | ssekit-spring #2 |")
        .contains("## Across rounds")
        .contains(
            "| fan-out | deliveries per second | 1/s ↑ | 200 (100 – 300, 3 of 3) |"
                + " 15 (10 – 20, 2 of 3) | 13.33 |\n")
        .contains(
            "| hold | keep-alive round | s ↓ | 5 (5 – 5, 3 of 3) | n/a: no keep-alive |  |\n");
  }

  @Test
  void aContestantWhoseRoundsAllFailedIsMarkedAndGetsNoRatio() {
    Report report = new Report(Bench.columns(CONTESTANTS, 2));
    for (int round = 1; round <= 2; round++) {
      report.put("slow", "p99", "ms", false, Bench.column("ssekit-spring", round, 2), 40, true, "");
      report.put(
          "slow",
          "p99",
          "ms",
          false,
          Bench.column("spring-emitter", round, 2),
          900,
          false,
          "publisher blocked");
    }

    assertThat(report.markdown())
        .contains(
            "| slow | p99 | ms ↓ | 40 (40 – 40, 2 of 2) | ✗ 0 of 2: publisher blocked |  |\n");
  }

  @Test
  void aRunOfOneRoundHasNoSpreadAndItsColumnsAreTheNames() {
    Report report = new Report(Bench.columns(CONTESTANTS, 1));
    report.put("slow", "p99", "ms", false, "ssekit-spring", 40, true, "");

    assertThat(Bench.columns(CONTESTANTS, 1)).isEqualTo(CONTESTANTS);
    assertThat(report.markdown()).doesNotContain("Across rounds");
  }

  @Test
  void roundsMustBeAWholeNumberFromOneToTwenty() {
    assertThat(Bench.Options.parse(new String[] {"--rounds", "3"}).rounds()).isEqualTo(3);
    assertThat(Bench.Options.parse(new String[] {}).rounds()).isEqualTo(1);
    for (String bad : List.of("0", "21", "two")) {
      assertThatThrownBy(() -> Bench.Options.parse(new String[] {"--rounds", bad}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--rounds must be a whole number from 1 to 20: " + bad);
    }
  }
}
