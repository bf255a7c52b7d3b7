package org.ssekit.reliability.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Floods of query parameters: 10,000 of them in every other case, and 100 to 3,000 in the others
 * (as many as fit in the containers' 8 KiB head), either unrelated to the stream or all {@code
 * entry} parameters. 10,000 parameters need at least 20,000 bytes of request target, beyond both
 * containers' default head limit: the container answers its 4xx before any application code. What
 * fits reaches the adapters: unrelated parameters leave the stream as it is; more than 64 distinct
 * entries are over the hub's {@code maxSelectionSize}: {@code 400}. (Tomcat parses at most 1,000
 * parameters by default and answers {@code 400} beyond that.)
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class ParameterFloodCases implements CaseGenerator {
  /** The flood of the issue. */
  static final int FLOOD = 10_000;

  /** The longest target sent as one that fits in the containers' head limit. */
  private static final int FITS = 7500;

  @Override
  public List<HostileCase> generate(SplittableRandom random, Way way, int count) {
    List<HostileCase> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean entries = random.nextBoolean();
      int parameters = random.nextBoolean() ? FLOOD : random.nextInt(100, 3000);
      StringBuilder target = new StringBuilder(way.open()).append("?entry=rooms/a");
      for (int p = 0; p < parameters && (parameters == FLOOD || target.length() < FITS); p++) {
        if (entries) {
          target.append("&entry=r/").append(Integer.toString(p, 36));
        } else {
          target.append('&').append(Integer.toString(p, 36));
        }
      }
      int sent = target.toString().split("&").length;
      Expect expect;
      if (target.length() > LastEventIdCases.HEAD_LIMIT) {
        expect = Expect.containerRefusal();
      } else if (entries) {
        // Over 64 entries; Tomcat's parameter limit makes it a 400 as well.
        expect = Expect.refusal(400, null);
      } else {
        expect = new Expect(Set.of(200, 400), false, false, null);
      }
      cases.add(
          HostileCase.of(
              sent
                  + (entries ? " entry parameters" : " unrelated parameters")
                  + " ("
                  + target.length()
                  + " bytes)",
              target.toString(),
              List.of(),
              expect));
    }
    return cases;
  }
}
