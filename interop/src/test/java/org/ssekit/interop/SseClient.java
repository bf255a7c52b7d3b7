package org.ssekit.interop;

import java.net.URI;
import java.util.Set;

/**
 * A started SSE client: opens connections that record what the client's own API reports.
 *
 * <p><b>Thread safety:</b> {@link #open} and {@link #close} are called from the test thread only.
 */
interface SseClient extends AutoCloseable {
  /** Returns which client this is. */
  ClientKind kind();

  /** Returns the client's version, as its package states it. */
  String version();

  /**
   * Connects to {@code uri}, as {@code new EventSource(uri)} does, listening to events of {@code
   * types} (and {@code message}). Returns at once; the connection records what follows.
   *
   * @param run a name for the connection, unique within the suite
   * @param credential the token to send as {@link ClientKind#credentials()} says, or null to send
   *     none
   */
  ClientConnection open(String run, URI uri, Set<String> types, Credential credential)
      throws Exception;

  /** Stops the client and everything it started. */
  @Override
  void close();
}
