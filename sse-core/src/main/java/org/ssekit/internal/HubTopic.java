package org.ssekit.internal;

import java.util.Arrays;
import org.ssekit.LoggedEvent;

/**
 * One topic's subscribers on one hub. Fan-out reads a copy-on-write array without locking, so
 * publishing never waits for subscribers to join or leave.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubTopic {
  private static final RealSubscription[] NONE = new RealSubscription[0];
  private static final int READY_HANDOVER = 64;

  /** The outcome of {@link #add}. */
  enum Admission {
    ADDED,
    FIRST,
    LIMIT,
    RETIRED
  }

  final String name;
  private final Object lock = new Object();
  // Written under lock, read without it by fan-out.
  private volatile RealSubscription[] subscribers = NONE;
  // @GuardedBy("lock")
  private boolean retired;

  HubTopic(String name) {
    this.name = name;
  }

  Admission add(RealSubscription subscription, int maxSubscribers, Runnable onFirst) {
    synchronized (lock) {
      if (retired) {
        return Admission.RETIRED;
      }
      RealSubscription[] current = subscribers;
      if (current.length >= maxSubscribers) {
        return Admission.LIMIT;
      }
      RealSubscription[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = subscription;
      subscribers = next;
      if (current.length == 0) {
        onFirst.run();
        return Admission.FIRST;
      }
      return Admission.ADDED;
    }
  }

  /**
   * Removes {@code subscription}; when it was the last one, retires the topic and runs {@code
   * onRetire} under the lock, so that no subscriber joins a retired topic.
   */
  void remove(RealSubscription subscription, Runnable onRetire) {
    synchronized (lock) {
      RealSubscription[] current = subscribers;
      int index = -1;
      for (int i = 0; i < current.length; i++) {
        if (current[i] == subscription) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return;
      }
      if (current.length == 1) {
        subscribers = NONE;
        retired = true;
        onRetire.run();
        return;
      }
      RealSubscription[] next = new RealSubscription[current.length - 1];
      System.arraycopy(current, 0, next, 0, index);
      System.arraycopy(current, index + 1, next, index, current.length - index - 1);
      subscribers = next;
    }
  }

  /**
   * Offers {@code event} to every subscriber and queues those it made ready on {@code ready}, a few
   * dozen at a time (the first writes start while the fan-out goes on); returns how many took it.
   */
  int fanOut(LoggedEvent event, ReadyQueue ready) {
    int delivered = 0;
    ReadyQueue.Batch batch = new ReadyQueue.Batch();
    for (RealSubscription subscription : subscribers) {
      if (subscription.offerLive(event, batch)) {
        delivered++;
      }
      if (batch.size() == READY_HANDOVER) {
        ready.addAll(batch);
      }
    }
    ready.addAll(batch);
    return delivered;
  }

  RealSubscription[] subscribers() {
    return subscribers;
  }

  int size() {
    return subscribers.length;
  }
}
