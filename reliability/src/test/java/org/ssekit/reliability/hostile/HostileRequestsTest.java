package org.ssekit.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.reliability.Scale;
import org.ssekit.reliability.StreamLeaks;
import org.ssekit.testkit.ServerLogs;

/**
 * Generated hostile requests over raw sockets against both adapters on Jetty 12.1 ee11 and Tomcat
 * 11, one category per test: each request gets the answer its category documents (a 4xx with a
 * plain-text reason, or the stream where the input is acceptable), never a 5xx nor a stack trace;
 * the canary streams on the same server get every event published meanwhile, in order; no stream is
 * left behind once the hub's keep-alives found the clients gone; and nothing is logged at SEVERE.
 * Each test adds its rows to {@code target/reliability-hostile.md}.
 */
class HostileRequestsTest {
  /** The categories of generated requests, with their cases per path at each scale. */
  enum Category {
    LAST_EVENT_ID("Last-Event-ID (header, query)", new LastEventIdCases(), 150, 2000),
    INVALID_BYTES(
        "invalid UTF-8, NUL, control bytes in headers and parameters",
        new InvalidByteCases(),
        150,
        2000),
    SELECTION_RULES("topic names and selectors, every rule", new SelectionCases(), 150, 2000),
    PARAMETER_FLOOD("10,000 query parameters", new ParameterFloodCases(), 40, 1000),
    FORGED_TOKENS("forged and replayed JWTs, session cookies", new TokenCases(), 150, 2000);

    private final String label;
    private final CaseGenerator generator;
    private final int smoke;
    private final int full;

    Category(String label, CaseGenerator generator, int smoke, int full) {
      this.label = label;
      this.generator = generator;
      this.smoke = smoke;
      this.full = full;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Arguments> paths() {
    List<Arguments> paths = new ArrayList<>();
    for (Category category : Category.values()) {
      for (HostileServer.Kind kind : HostileServer.Kind.values()) {
        paths.add(Arguments.of(category, kind));
      }
    }
    return paths.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("paths")
  void everyRequestGetsItsDocumentedAnswerAndNoOtherClientNotices(
      Category category, HostileServer.Kind kind) throws Exception {
    int count = Scale.current().pick(category.smoke, category.full);
    List<String> failures = new ArrayList<>();
    ServerLogs logs = ServerLogs.record();
    try (HostileServer server = HostileServer.start(kind)) {
      for (Way way : Way.values()) {
        String path = kind + ", " + way;
        long seed = HostileSeed.forTest(category.name() + path);
        List<HostileCase> cases =
            category.generator.generate(new SplittableRandom(seed), way, count);
        Tally tally;
        int missed;
        try (Canary canary = Canary.start(server)) {
          tally = CaseRunner.run(server.port(), cases, category + " on " + path, seed, failures);
          missed = canary.finish();
        }
        String leaks = StreamLeaks.awaitNone(server.hub);
        HostileFigures.record(category.label, path, tally, missed, leaks);
        assertThat(missed).as("canary events missed on %s", path).isZero();
        assertThat(leaks).as("leaks on %s", path).isEqualTo(StreamLeaks.NONE);
      }
    } finally {
      logs.close();
    }
    assertThat(failures).as("wrong answers (%d)", failures.size()).isEmpty();
    assertThat(logs.errors()).as("SEVERE log records").isEmpty();
  }
}
