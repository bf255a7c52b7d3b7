package org.ssekit.reliability.hostile;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates one category's hostile cases for one adapter.
 *
 * <p><b>Thread safety:</b> implementations are stateless; the random source is the caller's.
 */
interface CaseGenerator {
  /** Returns {@code count} cases for {@code way}, drawn from {@code random}. */
  List<HostileCase> generate(SplittableRandom random, Way way, int count);
}
