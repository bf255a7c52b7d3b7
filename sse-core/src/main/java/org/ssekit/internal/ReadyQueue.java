package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.ssekit.CloseReason;

/**
 * The subscriptions that have something to write, in the order they became ready, and the drainers
 * that run their write loops: at most {@code maxDrainers} tasks on the delivery executor, each
 * taking subscriptions off the front until none is left.
 *
 * <p>A fan-out makes thousands of subscriptions ready at once. Submitting one task per subscription
 * would allocate a task and an executor queue node for each and wake a thread for each; here the
 * queue is linked through the subscriptions themselves ({@link RealSubscription#nextReady}), so
 * making one ready allocates nothing, a fan-out hands them over a batch at a time ({@link Batch}),
 * and a drainer is started only when fewer than {@code maxDrainers} run. A subscription is in the
 * queue at most once: it is added only when its {@link WriteLoop} goes from idle to scheduled, and
 * only the run that took it off leaves that state (see {@link WriteLoop}; an assertion checks it).
 *
 * <p><b>Thread safety:</b> thread-safe; the links and counters are guarded by {@link #lock}, held
 * only to link a batch or unlink one subscription.
 */
final class ReadyQueue {
  private static final System.Logger LOG = System.getLogger(ReadyQueue.class.getName());

  private final Executor delivery;
  private final int maxDrainers;
  private final Runnable drainer = this::drain;
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private RealSubscription head;
  private RealSubscription tail;
  private int drainers;

  ReadyQueue(Executor delivery, int maxDrainers) {
    this.delivery = delivery;
    this.maxDrainers = maxDrainers;
  }

  /**
   * Queues {@code subscription}'s write loop. If the executor refuses work (the hub is stopping),
   * every queued subscription is ended with {@link RealSubscription#terminateNow} instead.
   */
  void add(RealSubscription subscription) {
    append(subscription, subscription, 1);
  }

  /** Queues every subscription in {@code batch}, in its order, as {@link #add} does; empties it. */
  void addAll(Batch batch) {
    if (batch.head != null) {
      append(batch.head, batch.tail, batch.size);
      batch.head = null;
      batch.tail = null;
      batch.size = 0;
    }
  }

  private void append(RealSubscription first, RealSubscription last, int count) {
    int start;
    synchronized (lock) {
      assert first != tail && last.nextReady == null : last + " is queued already";
      if (tail == null) {
        head = first;
      } else {
        tail.nextReady = first;
      }
      tail = last;
      start = Math.min(count, maxDrainers - drainers);
      drainers += start;
    }
    for (int i = 0; i < start; i++) {
      startDrainer();
    }
  }

  private void startDrainer() {
    try {
      delivery.execute(drainer);
    } catch (RejectedExecutionException stopped) {
      synchronized (lock) {
        drainers--;
      }
      // The hub is stopping: end the queued streams here rather than lose track of them.
      for (RealSubscription next = poll(); next != null; next = poll()) {
        next.terminateNow(CloseReason.HUB_CLOSED);
      }
    }
  }

  /**
   * Subscriptions that one fan-out made ready, linked through themselves until {@link #addAll}
   * hands them over under one lock instead of one each. A subscription that was just marked
   * scheduled is in no queue and no other thread links it, so linking it here without the queue's
   * lock is safe.
   *
   * <p><b>Thread safety:</b> confined to the fan-out's thread.
   */
  static final class Batch {
    private RealSubscription head;
    private RealSubscription tail;
    private int size;

    void add(RealSubscription subscription) {
      if (tail == null) {
        head = subscription;
      } else {
        tail.nextReady = subscription;
      }
      tail = subscription;
      size++;
    }

    int size() {
      return size;
    }
  }

  private void drain() {
    while (true) {
      RealSubscription next;
      synchronized (lock) {
        next = unlinkHead();
        if (next == null) {
          drainers--;
          return;
        }
      }
      try {
        next.writes.run();
      } catch (RuntimeException | Error e) {
        // run() catches what the transport and listener throw; whatever else escapes must not
        // stop
        // this drainer from serving the other subscriptions (a lost drainer would leave them
        // unserved).
        LOG.log(Level.WARNING, next.id() + " write loop failed", e);
      }
    }
  }

  private RealSubscription poll() {
    synchronized (lock) {
      return unlinkHead();
    }
  }

  private RealSubscription unlinkHead() {
    assert Thread.holdsLock(lock);
    RealSubscription next = head;
    if (next != null) {
      head = next.nextReady;
      if (head == null) {
        tail = null;
      }
      next.nextReady = null;
    }
    return next;
  }
}
