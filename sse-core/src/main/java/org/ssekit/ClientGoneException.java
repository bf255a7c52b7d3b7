package org.ssekit;

import java.io.IOException;

/**
 * The client went away: end of stream, broken pipe, connection reset, or a container's report that
 * the response is no longer usable. Transports map every such failure to this one type, which the
 * core treats as the ordinary end of a stream ({@link CloseReason#CLIENT_GONE}) and logs at DEBUG
 * at most.
 */
public final class ClientGoneException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and the underlying cause, which may be null. */
  public ClientGoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
