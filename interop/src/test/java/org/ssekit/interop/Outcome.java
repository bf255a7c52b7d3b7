package org.ssekit.interop;

import java.time.Duration;
import java.util.List;

/**
 * The result of one scenario for one client on one server path.
 *
 * @param problems how the client's observations differed from the expectation; empty if it passed
 * @param notes measurements worth printing, such as a reconnect delay
 * @param observations everything the client reported, for the failure message
 * @param elapsed how long the run took
 */
record Outcome(
    List<String> problems, List<String> notes, List<Observation> observations, Duration elapsed) {
  Outcome {
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
    observations = List.copyOf(observations);
  }

  boolean passed() {
    return problems.isEmpty();
  }

  /** Describes the problems and what the client observed, one per line. */
  String describe() {
    StringBuilder out = new StringBuilder();
    for (String problem : problems) {
      out.append("  - ").append(problem).append('\n');
    }
    out.append("  client observed:");
    if (observations.isEmpty()) {
      out.append(" nothing");
    }
    for (Observation observation : observations) {
      out.append("\n    ").append(observation);
    }
    return out.toString();
  }
}
