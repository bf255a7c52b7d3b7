package org.ssekit.internal;

import org.ssekit.ServerSentEvent;

/**
 * The encoder's way to what an event's builder learnt about its data, which {@link ServerSentEvent}
 * keeps out of its API. {@link ServerSentEvent} registers its {@link Access} from its static
 * initialiser (the JDK's "shared secrets" pattern), which runs before any event exists.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ServerSentEvents {
  // Volatile: registered by ServerSentEvent's initialiser, read by any thread that encodes.
  private static volatile Access access;

  private ServerSentEvents() {}

  /** Reads what an event's builder learnt. Implemented by {@link ServerSentEvent} only. */
  public interface Access {
    /** Returns true if every char of the event's data is ASCII (its UTF-8 bytes are its chars). */
    boolean hasAsciiData(ServerSentEvent event);
  }

  /**
   * Registers {@link ServerSentEvent}'s access; called once, by its static initialiser.
   *
   * @throws IllegalStateException if an access is registered already
   */
  public static synchronized void register(Access serverSentEventAccess) {
    if (access != null) {
      throw new IllegalStateException("ServerSentEvents access registered already");
    }
    access = serverSentEventAccess;
  }

  /** Returns true if every char of {@code event}'s data is ASCII. */
  static boolean hasAsciiData(ServerSentEvent event) {
    return access.hasAsciiData(event);
  }
}
