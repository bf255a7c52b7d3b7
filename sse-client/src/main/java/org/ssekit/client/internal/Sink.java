package org.ssekit.client.internal;

import org.ssekit.client.ReceivedEvent;

/**
 * Where a {@link Delivery} hands the signals of a source: a listener, or a publisher's subscriber.
 * Called one signal at a time, never overlapping, never under a lock.
 *
 * <p><b>Thread safety:</b> confined to the delivery's drain; needs no synchronization.
 */
interface Sink {
  /** A connection opened. */
  void open();

  /** An event arrived; consumes one unit of demand. */
  void event(ReceivedEvent event);

  /** A comment arrived. */
  void comment(String comment);

  /** A connection or attempt failed; more signals may follow. */
  void failure(Throwable cause);

  /**
   * The source closed for good; the last signal.
   *
   * @param cause why it failed, or null after a normal close
   */
  void closed(Throwable cause);
}
