package org.ssekit;

import java.util.List;

/**
 * The byte-level side of one event stream, implemented by the servlet and JAX-RS adapters. The core
 * decides what to send and when; a transport only writes bytes without blocking and reports
 * completion.
 *
 * <p><b>Contract:</b>
 *
 * <ul>
 *   <li>The core calls {@link #write} with at most one write in flight: the next call comes only
 *       after the previous one's callback ran. The first write may carry no bytes; it exists so
 *       that the transport commits the status and headers and flushes them at once.
 *   <li>{@link #write} must not block on the client: write what the container accepts, and complete
 *       the callback when the rest has been written (for example from a {@code WriteListener}). The
 *       callback may be completed before {@code write} returns; the core then continues in a loop,
 *       not recursively.
 *   <li>The chunk arrays are shared between all subscribers of an event: never modify them. The
 *       list is reused by the core once the callback has been completed: do not keep it.
 *   <li>{@link #close(CloseReason)} is called exactly once, after the last write completed or was
 *       abandoned. When it comes before any write, the subscriber was never admitted to a stream:
 *       answer {@code 204 No Content} for {@link CloseReason#TOPIC_CLOSED}, and otherwise as the
 *       endpoint's {@link RefusalAnswer} says.
 *   <li>When the container reports that the client has gone (an I/O error, an async error or
 *       completion), call {@link Subscription#abort(Throwable)} with a {@link ClientGoneException}.
 * </ul>
 *
 * <p><b>Thread safety:</b> calls to {@code write} and {@code close} are serialized by the core
 * (never concurrent with each other) but may come from different threads. The core makes them
 * without holding any of its locks, so a transport may complete the callback, and call the
 * subscription, from inside them.
 */
public interface SseTransport {
  /**
   * Writes {@code chunks} in order, then flushes, without blocking.
   *
   * @param chunks byte arrays to write in order; may be empty; must not be modified or kept
   * @param callback completed exactly once when the bytes are written or the write failed
   */
  void write(List<byte[]> chunks, WriteCallback callback);

  /**
   * Ends the stream: completes the response. Called exactly once.
   *
   * @param reason why the stream ends; before any write, the refusal to report
   */
  void close(CloseReason reason);
}
