package org.ssekit.client;

import java.io.IOException;

/**
 * Why an {@link EventSource} lost or failed its connection when the network itself did not say: an
 * HTTP status or content type that is not an event stream, a read timeout, a line or event over the
 * limit, or too many failed attempts. Network errors reach listeners as the {@link IOException} the
 * HTTP client reported.
 *
 * <p><b>Thread safety:</b> immutable once thrown; safe to share between threads.
 */
public final class EventSourceException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The status code of the response that caused this, or -1. */
  private final int statusCode;

  /**
   * Creates an exception with a message and no status.
   *
   * @param message the message, in the form {@code <name> <problem>: <value>}
   * @param cause the cause, or null
   */
  public EventSourceException(String message, Throwable cause) {
    this(message, -1, cause);
  }

  /**
   * Creates an exception with a message and the status code of the response that caused it.
   *
   * @param message the message
   * @param statusCode the status code, or -1 if no response caused it
   * @param cause the cause, or null
   */
  public EventSourceException(String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /**
   * Returns the status code of the response that caused this, or -1 if no response did.
   *
   * @return the status code, or -1
   */
  public int statusCode() {
    return statusCode;
  }
}
