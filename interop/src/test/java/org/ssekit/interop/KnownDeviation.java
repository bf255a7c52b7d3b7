package org.ssekit.interop;

import java.util.List;

/**
 * A way a client departs from the WHATWG rules, verified to be the client's doing by reading its
 * source. The matrix shows it instead of a failure, and the suite asserts that it still happens,
 * with the same symptom: when the client is fixed, the suite fails until the entry is removed.
 *
 * @param key the footnote key in the matrix, such as {@code D1}
 * @param client the client
 * @param scenario the scenario id
 * @param symptoms texts of which each of the run's problems contains one, so that a different
 *     failure is not excused
 * @param summary what the client does, and what the standard says instead
 * @param evidence where in the client's source (file and version) the behaviour comes from
 * @param link the client's public issue, or its source file, for the reader
 */
record KnownDeviation(
    String key,
    ClientKind client,
    String scenario,
    List<String> symptoms,
    String summary,
    String evidence,
    String link) {
  KnownDeviation {
    symptoms = List.copyOf(symptoms);
  }

  /** Returns true if {@code problem} is one of this deviation's symptoms. */
  boolean explains(String problem) {
    return symptoms.stream().anyMatch(problem::contains);
  }
}
