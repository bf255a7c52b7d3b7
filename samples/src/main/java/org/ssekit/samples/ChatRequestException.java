package org.ssekit.samples;

/**
 * A chat request was refused: carries the 4xx or 5xx status to answer and a short plain-text
 * reason, which both the servlet and the JAX-RS endpoints send as the response body.
 */
final class ChatRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ChatRequestException(int status, String reason) {
    super(reason);
    this.status = status;
  }

  ChatRequestException(int status, String reason, Throwable cause) {
    super(reason, cause);
    this.status = status;
  }

  /** Returns the HTTP status to answer. */
  int status() {
    return status;
  }
}
