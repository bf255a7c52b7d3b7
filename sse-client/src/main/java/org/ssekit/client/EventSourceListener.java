package org.ssekit.client;

/**
 * Hears what an {@link EventSource} receives and what happens to its connection. Every method does
 * nothing by default.
 *
 * <p><b>Calls:</b> one at a time, never overlapping, in stream order, each call happening-before
 * the next. They run on the source's callback executor, or, when none was given, on the HTTP
 * client's thread that read the bytes; while a call runs, the source reads no further (a slow
 * listener slows reading, it does not make the source buffer). For each connection: {@link #onOpen}
 * once it is established, then {@link #onEvent} and {@link #onComment} in stream order, then {@link
 * #onError} if it failed or ended. After the last connection, {@link #onClosed} exactly once, and
 * nothing after it.
 *
 * <p>Methods must not block for long: move slow work to your own executor. They may call {@link
 * EventSource#close()}, which stops delivery after the current call. If a method throws, the
 * exception is logged and the source is closed, with that exception passed to {@link #onError}.
 *
 * <p><b>Thread safety:</b> called by one thread at a time; an implementation used by one source
 * needs no synchronization.
 */
public interface EventSourceListener {
  /**
   * Called when a connection is established: status 200 with an event stream. The source is {@link
   * EventSource.ReadyState#OPEN}.
   *
   * @param source the source
   */
  default void onOpen(EventSource source) {}

  /**
   * Called for each event the stream dispatches.
   *
   * @param source the source
   * @param event the event
   */
  default void onEvent(EventSource source, ReceivedEvent event) {}

  /**
   * Called for each comment line, with the text after its colon (servers send comments as
   * keep-alives).
   *
   * @param source the source
   * @param comment the comment, may be empty
   */
  default void onComment(EventSource source, String comment) {}

  /**
   * Called when a connection fails or ends, or a connection attempt fails. If the source will
   * reconnect it is {@link EventSource.ReadyState#CONNECTING} during this call; if not, it is
   * {@link EventSource.ReadyState#CLOSED} and {@link #onClosed} follows.
   *
   * @param source the source
   * @param cause why: an {@link java.io.IOException} from the network, an {@link
   *     EventSourceException}, or what a listener method threw
   */
  default void onError(EventSource source, Throwable cause) {}

  /**
   * Called once when the source is closed for good: by {@link EventSource#close()}, a {@code 204}
   * response, or a failure. The last call.
   *
   * @param source the source
   */
  default void onClosed(EventSource source) {}
}
