package org.ssekit.internal;

import org.ssekit.LoggedEvent;

/**
 * The hub's way to a logged event's encoded bytes, which {@link LoggedEvent} keeps to itself so
 * that no application can change what every subscriber receives. {@link LoggedEvent} registers its
 * {@link Access} from its static initialiser (the JDK's "shared secrets" pattern), which runs
 * before any logged event exists.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class LoggedEvents {
  // Volatile: registered by LoggedEvent's initialiser, read by any hub thread.
  private static volatile Access access;

  private LoggedEvents() {}

  /** Reads a logged event's shared wire form. Implemented by {@link LoggedEvent} only. */
  public interface Access {
    /** Returns the encoded event; the array is shared by every subscriber: never modify it. */
    byte[] encoded(LoggedEvent event);
  }

  /**
   * Registers {@link LoggedEvent}'s access; called once, by its static initialiser.
   *
   * @throws IllegalStateException if an access is registered already
   */
  public static synchronized void register(Access loggedEventAccess) {
    if (access != null) {
      throw new IllegalStateException("LoggedEvents access registered already");
    }
    access = loggedEventAccess;
  }

  /** Returns the encoded event; the array is shared by every subscriber: never modify it. */
  public static byte[] encoded(LoggedEvent event) {
    return access.encoded(event);
  }
}
