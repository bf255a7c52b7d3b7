package org.ssekit.reliability.hostile;

import java.io.IOException;
import java.util.List;

/**
 * Sends generated cases one after another on new connections and checks each answer against its
 * {@link Expect}: counts the statuses in a {@link Tally} and adds one line per wrong answer to
 * {@code failures}, naming the seed, the case's index and the case, so that it can be replayed.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class CaseRunner {
  private CaseRunner() {}

  /**
   * Runs {@code cases} against {@code port} and returns their tally.
   *
   * @param label names the category and path in failure lines
   * @param seed the seed the cases were generated from
   */
  static Tally run(
      int port, List<HostileCase> cases, String label, long seed, List<String> failures) {
    Tally tally = new Tally();
    for (int i = 0; i < cases.size(); i++) {
      HostileCase hostile = cases.get(i);
      String problem;
      try {
        Answer answer = RawExchange.send(port, hostile.request(), hostile.expect().gapFirst());
        tally.count(answer.status());
        problem = hostile.expect().check(answer);
      } catch (IOException e) {
        tally.count(-1);
        problem = "no answer: " + e.getMessage();
      }
      if (problem != null) {
        failures.add(
            label
                + ", run seed "
                + HostileSeed.value()
                + " (test seed "
                + seed
                + "), case "
                + i
                + " ("
                + shorten(hostile)
                + "): "
                + problem);
      }
    }
    return tally;
  }

  private static String shorten(HostileCase hostile) {
    String text = hostile.description();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
