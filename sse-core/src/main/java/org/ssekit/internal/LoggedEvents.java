package org.ssekit.internal;

import org.ssekit.LoggedEvent;

/**
 * The hub's way to a logged event's encoded bytes.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class LoggedEvents {
  private LoggedEvents() {}

  /** Returns the encoded event; the array is shared by every subscriber: never modify it. */
  static byte[] encoded(LoggedEvent event) {
    return event.encoded();
  }
}
