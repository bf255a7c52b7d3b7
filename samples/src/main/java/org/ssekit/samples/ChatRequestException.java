package org.ssekit.samples;

import java.time.Duration;

/**
 * A chat request was refused: carries the 4xx or 5xx status to answer and a short plain-text
 * reason, which both the servlet and the JAX-RS endpoints send as the response body. A {@code 503}
 * also says when to come back ({@code Retry-After}); make one with {@link #unavailable}. Public for
 * samples-spring-boot, whose controller answers it the same way ({@link PlainText}).
 */
public final class ChatRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final long retryAfterSeconds;
  private final boolean closesConnection;

  /** A refusal with {@code status} (not 503: see {@link #unavailable}) and {@code reason}. */
  public ChatRequestException(int status, String reason) {
    this(status, reason, null);
  }

  ChatRequestException(int status, String reason, Throwable cause) {
    this(status, reason, cause, 0);
    if (status == 503) {
      throw new IllegalArgumentException("a 503 needs a Retry-After: use unavailable(...)");
    }
  }

  private ChatRequestException(int status, String reason, Throwable cause, long retryAfterSeconds) {
    this(status, reason, cause, retryAfterSeconds, false);
  }

  private ChatRequestException(
      int status, String reason, Throwable cause, long retryAfterSeconds, boolean closes) {
    super(reason, cause);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.closesConnection = closes;
  }

  /**
   * Returns this refusal answered with {@code Connection: close}: the request's body could not be
   * read to its end, so the connection cannot carry another request.
   */
  ChatRequestException closingConnection() {
    ChatRequestException closing =
        new ChatRequestException(status, getMessage(), getCause(), retryAfterSeconds, true);
    closing.setStackTrace(getStackTrace());
    return closing;
  }

  /** Returns true if the answer must say {@code Connection: close}. */
  boolean closesConnection() {
    return closesConnection;
  }

  /**
   * Returns a {@code 401}: the request needs a valid session; its answer carries {@code
   * WWW-Authenticate: }{@value ChatSessions#CHALLENGE}.
   */
  public static ChatRequestException unauthenticated(String reason) {
    return new ChatRequestException(401, reason);
  }

  /** Returns a {@code 503} that asks the client to come back after {@code retryAfter}. */
  static ChatRequestException unavailable(String reason, Duration retryAfter, Throwable cause) {
    return new ChatRequestException(503, reason, cause, Math.max(1, retryAfter.toSeconds()));
  }

  /** Returns the {@code Retry-After} to answer in whole seconds, or 0 for none (not a 503). */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Returns the HTTP status to answer. */
  public int status() {
    return status;
  }
}
