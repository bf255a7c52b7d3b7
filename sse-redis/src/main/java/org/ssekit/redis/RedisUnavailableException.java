package org.ssekit.redis;

/**
 * Redis did not carry out a command of a {@link RedisEventLog}: it is unreachable, the connection
 * was lost while the command was in flight, it did not reply within the command timeout, or it
 * refused the command (out of memory, a read-only replica after a failover). Stages returned by the
 * log fail with this exception, and {@link RedisEventLog.Builder#build()} throws it when it cannot
 * connect; the log never retries on its own.
 *
 * <p>For an append, {@link #mayHaveBeenAppended()} tells the two cases apart: false when the
 * command was never sent (the event is certainly not in the topic: publishing it again is safe),
 * true when Redis may have executed it before the failure (publishing it again may append it
 * twice).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class RedisUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean mayHaveBeenAppended;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the Redis endpoint and the topic
   * @param cause the client's exception, or null
   * @param mayHaveBeenAppended true if Redis may have executed the command
   */
  public RedisUnavailableException(String message, Throwable cause, boolean mayHaveBeenAppended) {
    super(message, cause);
    this.mayHaveBeenAppended = mayHaveBeenAppended;
  }

  /**
   * Returns true if Redis may have executed the failed command (the connection was lost while it
   * was in flight, or it timed out), false if it was certainly not executed.
   */
  public boolean mayHaveBeenAppended() {
    return mayHaveBeenAppended;
  }
}
