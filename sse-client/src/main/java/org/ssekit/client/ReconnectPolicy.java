package org.ssekit.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EventSource} waits before it reconnects: the reconnection time of the standard,
 * then exponential backoff with full jitter for failures in a row.
 *
 * <p>After a connection ends or fails, the source waits the <em>reconnection time</em> exactly:
 * {@link #reconnectionTime()} until the server sends a {@code retry} field, the server's value
 * after that (jitter never shortens it). A failure is an attempt that did not open a stream, or a
 * stream lost before it was open for {@link #stableAfter()}; a stream that stayed open that long
 * resets the count. After n failures in a row the delay grows by a random amount, uniform in {@code
 * [0, min(maxBackoff, backoffBase * 2^(n-1))]} (full jitter). With {@link #maxAttempts()} above 0,
 * the source fails at the n-th failure in a row for n = maxAttempts.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class ReconnectPolicy {
  private static final ReconnectPolicy DEFAULTS = new Builder().build();

  private final Duration reconnectionTime;
  private final Duration backoffBase;
  private final Duration maxBackoff;
  private final Duration stableAfter;
  private final int maxAttempts;

  private ReconnectPolicy(Builder builder) {
    this.reconnectionTime = builder.reconnectionTime;
    this.backoffBase = builder.backoffBase;
    this.maxBackoff = builder.maxBackoff;
    this.stableAfter = builder.stableAfter;
    this.maxAttempts = builder.maxAttempts;
  }

  /**
   * Returns the defaults: reconnection time 3 s, backoff base 1 s, backoff at most 30 s, stable
   * after 60 s, unlimited attempts.
   *
   * @return the default policy
   */
  public static ReconnectPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder that starts from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder that starts from this policy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.reconnectionTime = reconnectionTime;
    builder.backoffBase = backoffBase;
    builder.maxBackoff = maxBackoff;
    builder.stableAfter = stableAfter;
    builder.maxAttempts = maxAttempts;
    return builder;
  }

  /**
   * Returns the reconnection time used until the server sends a {@code retry} field.
   *
   * @return the initial reconnection time
   */
  public Duration reconnectionTime() {
    return reconnectionTime;
  }

  /**
   * Returns the upper bound of the jitter added for the first extra failure in a row; it doubles
   * with each further one.
   *
   * @return the backoff base
   */
  public Duration backoffBase() {
    return backoffBase;
  }

  /**
   * Returns the cap of the jitter added to the reconnection time.
   *
   * @return the largest backoff
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Returns how long a connection must stay open to reset the count of failures in a row.
   *
   * @return the stable period
   */
  public Duration stableAfter() {
    return stableAfter;
  }

  /**
   * Returns after how many failures in a row the source fails (see the class documentation), or 0
   * for no limit.
   *
   * @return the attempt limit, or 0
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ReconnectPolicy
        && reconnectionTime.equals(((ReconnectPolicy) other).reconnectionTime)
        && backoffBase.equals(((ReconnectPolicy) other).backoffBase)
        && maxBackoff.equals(((ReconnectPolicy) other).maxBackoff)
        && stableAfter.equals(((ReconnectPolicy) other).stableAfter)
        && maxAttempts == ((ReconnectPolicy) other).maxAttempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(reconnectionTime, backoffBase, maxBackoff, stableAfter, maxAttempts);
  }

  @Override
  public String toString() {
    return "ReconnectPolicy[reconnectionTime="
        + reconnectionTime
        + ", backoffBase="
        + backoffBase
        + ", maxBackoff="
        + maxBackoff
        + ", stableAfter="
        + stableAfter
        + ", maxAttempts="
        + maxAttempts
        + "]";
  }

  /**
   * Builds a {@link ReconnectPolicy}. Each setter checks its argument at once.
   *
   * <p><b>Thread safety:</b> not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private Duration reconnectionTime = Duration.ofSeconds(3);
    private Duration backoffBase = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration stableAfter = Duration.ofSeconds(60);
    private int maxAttempts;

    private Builder() {}

    /**
     * Sets the reconnection time used until the server sends a {@code retry} field.
     *
     * @param reconnectionTime zero or more
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is negative
     */
    public Builder reconnectionTime(Duration reconnectionTime) {
      this.reconnectionTime = notNegative(reconnectionTime, "reconnectionTime");
      return this;
    }

    /**
     * Sets the jitter bound for the first extra failure in a row.
     *
     * @param backoffBase zero or more
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is negative
     */
    public Builder backoffBase(Duration backoffBase) {
      this.backoffBase = notNegative(backoffBase, "backoffBase");
      return this;
    }

    /**
     * Sets the cap of the jitter.
     *
     * @param maxBackoff zero or more
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = notNegative(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * Sets how long a connection must stay open to reset the count of failures in a row.
     *
     * @param stableAfter zero or more
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is negative
     */
    public Builder stableAfter(Duration stableAfter) {
      this.stableAfter = notNegative(stableAfter, "stableAfter");
      return this;
    }

    /**
     * Sets after how many failures in a row the source fails.
     *
     * @param maxAttempts the limit, or 0 for none
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 0) {
        throw new IllegalArgumentException("maxAttempts < 0: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Returns the policy.
     *
     * @return a new immutable policy
     */
    public ReconnectPolicy build() {
      return new ReconnectPolicy(this);
    }

    private static Duration notNegative(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " < 0: " + value);
      }
      return value;
    }
  }
}
