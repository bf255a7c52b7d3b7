package org.ssekit.interop;

/**
 * A client cannot run on this machine (no Chromium, no Node.js); the message says what is missing.
 */
final class ClientUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  ClientUnavailableException(String message) {
    super(message);
  }

  ClientUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
