package org.ssekit.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ssekit.client.EventIterator;
import org.ssekit.client.EventSource;
import org.ssekit.client.ReceivedEvent;

/**
 * An {@link EventIterator}: a sink that holds at most {@link #PREFETCH} events, asking the source
 * for one more each time the reader takes one. Waits with a {@link Condition}, never a monitor, so
 * a virtual thread waiting here does not pin its carrier.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class BlockingEventIterator implements EventIterator, Sink {
  /** How many events may wait for the reader. */
  static final int PREFETCH = 16;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private RealEventSource source;

  // @GuardedBy("lock")
  private final ArrayDeque<ReceivedEvent> events = new ArrayDeque<>(PREFETCH);

  // @GuardedBy("lock")
  private boolean closed;

  /** Why the source failed, or null. */
  // @GuardedBy("lock")
  private Throwable failure;

  private BlockingEventIterator() {}

  /** Starts a source read through a new iterator. */
  public static EventIterator start(Settings settings) {
    BlockingEventIterator iterator = new BlockingEventIterator();
    iterator.source = RealEventSource.create(settings, s -> iterator, PREFETCH);
    iterator.source.connect();
    return iterator;
  }

  @Override
  public EventSource source() {
    return source;
  }

  @Override
  public boolean hasNext() {
    lock.lock();
    try {
      while (events.isEmpty() && !closed) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          source.close();
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(
              new InterruptedIOException("interrupted while waiting for an event"));
        }
      }
      if (!events.isEmpty()) {
        return true;
      }
      if (failure == null) {
        return false;
      }
      throw new UncheckedIOException(
          failure instanceof IOException
              ? (IOException) failure
              : new IOException("event source failed", failure));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ReceivedEvent next() {
    ReceivedEvent event;
    lock.lock();
    try {
      if (!hasNext()) {
        throw new NoSuchElementException(source + " has no more events");
      }
      event = events.poll();
    } finally {
      lock.unlock();
    }
    source.request(1);
    return event;
  }

  @Override
  public void close() {
    source.close();
  }

  @Override
  public void open() {}

  @Override
  public void event(ReceivedEvent event) {
    lock.lock();
    try {
      events.add(event);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void comment(String comment) {}

  @Override
  public void failure(Throwable cause) {}

  @Override
  public void closed(Throwable cause) {
    lock.lock();
    try {
      closed = true;
      failure = cause;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "EventIterator[" + source + "]";
  }
}
