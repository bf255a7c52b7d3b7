package org.ssekit.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.ssekit.redis.RedisUnavailableException;

/**
 * Turns what Lettuce reports into the log's exceptions: {@link RedisUnavailableException} saying
 * whether the command may have run, or {@link IllegalStateException} when Redis refuses the log's
 * setup. Messages name the endpoint and the topic (or selection), never the URI (it may carry a
 * password).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class RedisFailures {
  private final String endpoint;
  private final long timeoutMillis;

  /**
   * @param endpoint where Redis is, without credentials (see {@link RedisConnections#endpoint})
   * @param timeoutMillis the command timeout, for messages
   */
  RedisFailures(String endpoint, long timeoutMillis) {
    this.endpoint = endpoint;
    this.timeoutMillis = timeoutMillis;
  }

  /** Returns the endpoint the messages name. */
  String endpoint() {
    return endpoint;
  }

  /** Returns the failure of connecting to Redis at {@code endpoint}, the cause chained. */
  static RuntimeException connectFailed(String endpoint, long timeoutMillis, RuntimeException e) {
    if (e instanceof RedisCommandExecutionException) {
      // Reached, but refused: a password or ACL problem, or scripting is disabled.
      return new IllegalStateException(
          "redis at "
              + endpoint
              + " refused the log's setup (it needs"
              + " Lua scripting and stream commands): "
              + e.getMessage(),
          e);
    }
    return new RedisUnavailableException(
        "redis unreachable at " + endpoint + ": cannot connect within " + timeoutMillis + " ms",
        e,
        false);
  }

  /** Returns the failure of a command that was not sent because the connection is down. */
  RedisUnavailableException notSent(String action, String subject, Throwable cause) {
    return new RedisUnavailableException(
        "redis unreachable at " + endpoint + ": did not " + action + " " + subject, cause, false);
  }

  /**
   * Returns the failure of this node's reader not having delivered the log up to {@code headId}
   * within the command timeout.
   */
  RedisUnavailableException notReadUpTo(String subject, String headId, Throwable cause) {
    return new RedisUnavailableException(
        "redis at "
            + endpoint
            + ": this node did not read the log (for "
            + subject
            + ")"
            + " up to "
            + headId
            + " within "
            + timeoutMillis
            + " ms",
        cause,
        false);
  }

  /**
   * Returns the log's exception for a command on {@code subject} ({@code topic t}) that failed with
   * {@code failure} (unwrapped from completion wrappers first).
   */
  RuntimeException translate(Throwable failure, String subject, String action) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RedisCommandTimeoutException) {
      return new RedisUnavailableException(
          "redis at "
              + endpoint
              + " did not answer within "
              + timeoutMillis
              + " ms; may or may not have done: "
              + action
              + " "
              + subject,
          cause,
          true);
    }
    if (cause instanceof RedisCommandExecutionException) {
      // Redis answered with an error (out of memory, a read-only replica, a key of another type):
      // the scripts fail before their first write in each of these cases.
      return new RedisUnavailableException(
          "redis at "
              + endpoint
              + " refused to "
              + action
              + " "
              + subject
              + ": "
              + cause.getMessage(),
          cause,
          false);
    }
    if (cause instanceof RedisException) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("Commands are rejected")) {
        return notSent(action, subject, cause);
      }
      return lost(action, subject, cause);
    }
    if (cause instanceof IOException) {
      // Lettuce fails the command in flight with the channel's own exception when the connection
      // is reset (Redis killed, a network path cut): it was sent, so it may have run.
      return lost(action, subject, cause);
    }
    if (cause instanceof RuntimeException) {
      return (RuntimeException) cause;
    }
    return new IllegalStateException("could not " + action + " " + subject, cause);
  }

  private RedisUnavailableException lost(String action, String subject, Throwable cause) {
    return new RedisUnavailableException(
        "redis connection to "
            + endpoint
            + " lost; may or may not have"
            + " done: "
            + action
            + " "
            + subject,
        cause,
        true);
  }

  /** Returns the runtime exception inside completion and execution wrappers, or {@code e}. */
  static RuntimeException unwrapped(Exception e) {
    Throwable cause = unwrap(e);
    return cause instanceof RuntimeException
        ? (RuntimeException) cause
        : new RedisException(cause.getMessage(), cause);
  }

  /** Returns the cause inside completion and execution wrappers. */
  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
