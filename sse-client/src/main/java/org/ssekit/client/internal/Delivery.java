package org.ssekit.client.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.ssekit.client.ReceivedEvent;

/**
 * Hands the signals of one source to its {@link Sink} one at a time, in order, on the callback
 * executor (or on the thread that offered them), and tells the connection when to read more.
 *
 * <p>Why this shape: a source reads one chunk at a time. The chunk's events wait here; only when
 * every one has been delivered (which, for a publisher, needs demand) does the {@code whenDrained}
 * action of the chunk ask the HTTP client for the next one. So memory holds at most one chunk of
 * events, a slow consumer slows reading, and no thread blocks. Events are queued as they are;
 * comments as their strings; the other signals as small records.
 *
 * <p>Drains never overlap: one thread at a time holds the {@code draining} flag, and a signal
 * offered meanwhile is picked up by that drain's loop (no recursion, also when asking for the next
 * chunk delivers it synchronously).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class Delivery {
  /** A connection opened. */
  private static final Object OPENED = new Object();

  /** A failure after which the source goes on. */
  private record Failure(Throwable cause) {}

  /** The last signal; cause null after a normal close. */
  private record Closed(Throwable cause) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Executor executor;
  private final Sink sink;
  private final Runnable drain = this::drain;

  // @GuardedBy("lock")
  private final ArrayDeque<Object> queue = new ArrayDeque<>();

  /** Asks for the next chunk once the queue is empty, or null. */
  // @GuardedBy("lock")
  private Runnable whenDrained;

  /** How many events the sink may still receive. */
  // @GuardedBy("lock")
  private long demand;

  /** True while a drain runs or is scheduled. */
  // @GuardedBy("lock")
  private boolean draining;

  /** True once the Closed signal is queued: later offers are dropped. */
  // @GuardedBy("lock")
  private boolean terminated;

  /**
   * @param executor runs the drains, or null to drain on the offering thread
   * @param sink receives the signals
   * @param demand the initial demand; Long.MAX_VALUE for unbounded
   */
  Delivery(Executor executor, Sink sink, long demand) {
    this.executor = executor;
    this.sink = sink;
    this.demand = demand;
  }

  /** Queues the open signal; {@code whenDrained} (reading the first chunk) runs after it. */
  void opened(Runnable whenDrained) {
    chunk(List.of(OPENED), whenDrained);
  }

  void failure(Throwable cause) {
    offer(new Failure(cause));
  }

  /** Queues a chunk's events and comments; {@code whenDrained} runs once they are delivered. */
  void chunk(List<Object> signals, Runnable whenDrained) {
    lock.lock();
    try {
      if (terminated) {
        return;
      }
      queue.addAll(signals);
      this.whenDrained = whenDrained;
    } finally {
      lock.unlock();
    }
    schedule();
  }

  /**
   * Discards what is not delivered yet and queues the last signals: the failure, if any, and the
   * close. Does nothing if already terminated.
   */
  void terminate(Throwable cause) {
    lock.lock();
    try {
      if (terminated) {
        return;
      }
      terminated = true;
      queue.clear();
      whenDrained = null;
      if (cause != null) {
        queue.add(new Failure(cause));
      }
      queue.add(new Closed(cause));
    } finally {
      lock.unlock();
    }
    schedule();
  }

  /** Adds demand for {@code n} more events (n > 0). */
  void request(long n) {
    lock.lock();
    try {
      long sum = demand + n;
      demand = sum < 0 ? Long.MAX_VALUE : sum;
    } finally {
      lock.unlock();
    }
    schedule();
  }

  private void offer(Object signal) {
    lock.lock();
    try {
      if (terminated) {
        return;
      }
      queue.add(signal);
    } finally {
      lock.unlock();
    }
    schedule();
  }

  private void schedule() {
    lock.lock();
    try {
      if (draining || !hasWork()) {
        return;
      }
      draining = true;
    } finally {
      lock.unlock();
    }
    if (executor == null) {
      drain();
      return;
    }
    try {
      executor.execute(drain);
    } catch (RejectedExecutionException e) {
      // The application shut its executor down while the source lives: deliver here, once.
      drain();
    }
  }

  private boolean hasWork() {
    assert lock.isHeldByCurrentThread();
    Object head = queue.peek();
    if (head == null) {
      return whenDrained != null;
    }
    return !(head instanceof ReceivedEvent) || demand > 0;
  }

  private void drain() {
    while (true) {
      Object next = null;
      Runnable action = null;
      lock.lock();
      try {
        if (!hasWork()) {
          draining = false;
          return;
        }
        if (queue.isEmpty()) {
          action = whenDrained;
          whenDrained = null;
        } else {
          next = queue.poll();
          if (next instanceof ReceivedEvent && demand != Long.MAX_VALUE) {
            demand--;
          }
        }
      } finally {
        lock.unlock();
      }
      if (action != null) {
        action.run();
      } else {
        deliver(next);
      }
    }
  }

  private void deliver(Object signal) {
    if (signal instanceof ReceivedEvent) {
      sink.event((ReceivedEvent) signal);
    } else if (signal instanceof String) {
      sink.comment((String) signal);
    } else if (signal == OPENED) {
      sink.open();
    } else if (signal instanceof Failure) {
      sink.failure(((Failure) signal).cause());
    } else {
      sink.closed(((Closed) signal).cause());
    }
  }
}
