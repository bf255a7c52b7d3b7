package org.ssekit.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The number of a hub's subscribers, held to its {@code maxSubscribers}, and the wait of a closing
 * hub for it to reach zero.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SubscriberCount {
  private final int max;
  private final AtomicInteger count = new AtomicInteger();
  private final Object drained = new Object(); // notified when the count reaches zero

  SubscriberCount(int max) {
    this.max = max;
  }

  /** Counts one more subscriber; returns false, counting none, if that would exceed the limit. */
  boolean tryAdd() {
    if (count.incrementAndGet() > max) {
      release();
      return false;
    }
    return true;
  }

  /** Counts one subscriber less. */
  void release() {
    if (count.decrementAndGet() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  /** Returns the number of subscribers. */
  int get() {
    return count.get();
  }

  /**
   * Waits up to {@code timeoutNanos} for the count to reach zero; returns early, with the thread's
   * interrupt status set, if interrupted.
   */
  void awaitZero(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (drained) {
      long remaining;
      while (count.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
