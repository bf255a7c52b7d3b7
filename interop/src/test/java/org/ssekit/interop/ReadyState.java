package org.ssekit.interop;

/**
 * The state of a client's connection in the terms of the WHATWG {@code EventSource.readyState};
 * each client maps its own notion of state onto it (see {@link ClientKind}).
 */
enum ReadyState {
  /** Connecting, or waiting to reconnect. */
  CONNECTING,
  /** Connected and dispatching events. */
  OPEN,
  /** Failed or stopped for good: it will not reconnect. */
  CLOSED;

  /** Maps an {@code EventSource.readyState} number (0, 1 or 2). */
  static ReadyState ofNumber(long readyState) {
    if (readyState < 0 || readyState > 2) {
      throw new IllegalArgumentException("readyState not 0, 1 or 2: " + readyState);
    }
    return values()[(int) readyState];
  }
}
