package org.ssekit.internal;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.ssekit.LoggedEvent;

/**
 * One incarnation of a topic on one hub: its subscribers, from the first one's arrival until the
 * last one leaves (it then retires, and a later subscriber gets a new incarnation). Fan-out reads a
 * copy-on-write array without locking, so publishing never waits for subscribers to join or leave.
 *
 * <p><b>Following:</b> the log follows the topic while the incarnation has subscribers. The
 * decisions (first subscriber in, last one out) are taken under {@link #lock}; the calls to the log
 * are made after it is released, in a chain of stages that keeps them in the order of the
 * decisions: this incarnation's follow waits for its predecessor's unfollow, its unfollow for its
 * own follow. See {@link HubTopics} for how a successor is chained to its predecessor.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubTopic {
  private static final RealSubscription[] NONE = new RealSubscription[0];
  private static final int READY_HANDOVER = 64;
  private static final CompletableFuture<Void> NO_PREDECESSOR =
      CompletableFuture.completedFuture(null);

  /** The outcome of {@link #add}. */
  enum Joined {
    /** Added. */
    ADDED,
    /** Added as the first subscriber: the caller must call {@link #follow}. */
    FIRST,
    /** Not added: the topic holds the most subscribers allowed. */
    LIMIT,
    /** Not added: the incarnation retired; the subscriber must join its successor. */
    RETIRED
  }

  final String name;
  private final Object lock = new Object();
  // Written under lock, read without it by fan-out.
  private volatile RealSubscription[] subscribers = NONE;
  // @GuardedBy("lock")
  private boolean retired;
  private final CompletionStage<Void> predecessorUnfollowed;
  private final CompletableFuture<Void> followed = new CompletableFuture<>();
  private final CompletableFuture<Void> unfollowed = new CompletableFuture<>();

  private HubTopic(String name, CompletionStage<Void> predecessorUnfollowed) {
    this.name = name;
    this.predecessorUnfollowed = predecessorUnfollowed;
  }

  /** Returns the first incarnation of {@code name} (or one whose predecessor has unfollowed). */
  static HubTopic first(String name) {
    return new HubTopic(name, NO_PREDECESSOR);
  }

  /** Returns the next incarnation, whose follow waits for this one's unfollow. */
  HubTopic successor() {
    return new HubTopic(name, unfollowed);
  }

  /** Adds {@code subscription} unless the topic holds {@code maxSubscribers} or has retired. */
  Joined add(RealSubscription subscription, int maxSubscribers) {
    synchronized (lock) {
      if (retired) {
        return Joined.RETIRED;
      }
      RealSubscription[] current = subscribers;
      if (current.length >= maxSubscribers) {
        return Joined.LIMIT;
      }
      RealSubscription[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = subscription;
      subscribers = next;
      return current.length == 0 ? Joined.FIRST : Joined.ADDED;
    }
  }

  /**
   * Removes {@code subscription}; when it was the last one, retires the topic, so that no
   * subscriber joins it any more.
   *
   * @return true if this call retired the topic: the caller must call {@link #unfollow}
   */
  boolean remove(RealSubscription subscription) {
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
        return false;
      }
      if (current.length == 1) {
        subscribers = NONE;
        retired = true;
        return true;
      }
      RealSubscription[] next = new RealSubscription[current.length - 1];
      System.arraycopy(current, 0, next, 0, index);
      System.arraycopy(current, index + 1, next, index, current.length - index - 1);
      subscribers = next;
      return false;
    }
  }

  /**
   * Without the lock, by the caller whose {@link #add} returned {@link Joined#FIRST}: runs {@code
   * follow} once the predecessor has unfollowed (at once, normally), then completes {@link
   * #followed()}.
   */
  void follow(Consumer<String> follow) {
    predecessorUnfollowed.whenComplete(
        (ignored, never) -> {
          try {
            follow.accept(name);
          } finally {
            followed.complete(null);
          }
        });
  }

  /** Returns a stage completed once the log was told to follow this incarnation. */
  CompletionStage<Void> followed() {
    return followed;
  }

  /**
   * Without the lock, by the caller whose {@link #remove} retired the topic: runs {@code unfollow}
   * once this incarnation's follow is done, then {@code then}.
   */
  void unfollow(Consumer<String> unfollow, Runnable then) {
    followed.whenComplete(
        (ignored, never) -> {
          try {
            unfollow.accept(name);
          } finally {
            unfollowed.complete(null);
            then.run();
          }
        });
  }

  /**
   * Offers {@code event}, with its latency {@code sample} (or null if it is not sampled), to every
   * subscriber and queues those it made ready on {@code ready}, a few dozen at a time (the first
   * writes start while the fan-out goes on).
   */
  void fanOut(LoggedEvent event, ReadyQueue ready, LatencySampling.Sample sample) {
    ReadyQueue.Batch batch = new ReadyQueue.Batch();
    byte[] encoded = LoggedEvents.encoded(event); // once, not once per subscriber
    for (RealSubscription subscription : subscribers) {
      subscription.offerLive(event, encoded, batch, sample);
      if (batch.size() == READY_HANDOVER) {
        ready.addAll(batch);
      }
    }
    ready.addAll(batch);
  }

  RealSubscription[] subscribers() {
    return subscribers;
  }

  int size() {
    return subscribers.length;
  }
}
