package org.ssekit.client;

import java.util.Iterator;

/**
 * A blocking iterator over the events of one {@link EventSource}, for code that reads a stream in a
 * loop (on a virtual thread, for example). It holds at most a few events ahead of the reader; while
 * the reader does not ask for more, the source stops reading.
 *
 * <p>{@link #hasNext()} blocks until an event arrives or the source closes for good; it returns
 * false after a normal end (a {@code 204}, or {@link #close()}), and throws {@link
 * java.io.UncheckedIOException} with the cause when the source failed. Reconnections in between are
 * invisible to the reader. If the waiting thread is interrupted, the source is closed, the
 * interrupt status is kept, and {@code hasNext} throws {@link java.io.UncheckedIOException} with an
 * {@link java.io.InterruptedIOException}.
 *
 * <p><b>Thread safety:</b> {@link #close()} may be called from any thread, at any time, and more
 * than once; {@code hasNext} and {@code next} are meant for one reading thread.
 */
public interface EventIterator extends Iterator<ReceivedEvent>, AutoCloseable {
  /**
   * Returns the source this iterator reads, for its state and last event id.
   *
   * @return the source
   */
  EventSource source();

  /** Closes the source at once and discards the events not read yet. */
  @Override
  void close();
}
