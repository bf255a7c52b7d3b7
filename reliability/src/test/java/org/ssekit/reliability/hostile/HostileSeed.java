package org.ssekit.reliability.hostile;

/**
 * The seed of a run's generated cases: the system property {@value #PROPERTY} if set (to replay a
 * failure), else a new one, printed so that any run can be replayed.
 *
 * <p><b>Thread safety:</b> thread-safe; the seed is chosen once per JVM.
 */
final class HostileSeed {
  /** The system property that replays a run: {@code -Dssekit.reliability.seed=...}. */
  static final String PROPERTY = "ssekit.reliability.seed";

  private static final long SEED =
      Long.getLong(PROPERTY, System.nanoTime() ^ Double.doubleToLongBits(Math.random()));

  static {
    System.out.println(
        "hostile input: seed " + SEED + " (replay with -D" + PROPERTY + "=" + SEED + ")");
  }

  private HostileSeed() {}

  /** Returns this run's seed. */
  static long value() {
    return SEED;
  }

  /** Returns the seed for one test's cases, derived from the run's seed and {@code salt}. */
  static long forTest(String salt) {
    return SEED ^ ((long) salt.hashCode() << 21);
  }
}
