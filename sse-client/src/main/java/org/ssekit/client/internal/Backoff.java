package org.ssekit.client.internal;

import java.util.function.LongUnaryOperator;
import org.ssekit.client.ReconnectPolicy;

/**
 * Computes reconnection delays by a {@link ReconnectPolicy}: the reconnection time exactly, plus
 * full jitter that grows exponentially with the failures in a row.
 *
 * <p><b>Thread safety:</b> immutable; the random source must be thread-safe.
 */
final class Backoff {
  private final ReconnectPolicy policy;

  /** Returns a uniform random value in [0, bound] for a bound of zero or more. */
  private final LongUnaryOperator random;

  Backoff(ReconnectPolicy policy, LongUnaryOperator random) {
    this.policy = policy;
    this.random = random;
  }

  /**
   * Returns the delay before the next attempt, in milliseconds.
   *
   * @param reconnectionTimeMillis the current reconnection time (the server's {@code retry} or the
   *     policy's)
   * @param failuresInRow the failed attempts in a row so far, 0 after a stable connection
   */
  long delayMillis(long reconnectionTimeMillis, int failuresInRow) {
    if (failuresInRow <= 0) {
      return reconnectionTimeMillis;
    }
    long cap = policy.maxBackoff().toMillis();
    long bound = policy.backoffBase().toMillis();
    for (int i = 1; i < failuresInRow && bound < cap; i++) {
      bound = bound > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : bound * 2;
    }
    long jitter = random.applyAsLong(Math.min(cap, bound));
    long delay = reconnectionTimeMillis + jitter;
    return delay < 0 ? Long.MAX_VALUE : delay;
  }
}
