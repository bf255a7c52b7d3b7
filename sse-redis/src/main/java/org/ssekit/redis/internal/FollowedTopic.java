package org.ssekit.redis.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A topic this node follows: where its reader reads from, and the appends waiting to be delivered.
 *
 * <p><b>Where reading starts.</b> When the hub follows a topic, the log looks up the topic's newest
 * entry id asynchronously (the hub calls {@code follow} under its lock, so it must not wait). The
 * hub then calls {@code open}, whose replay lookup runs only after that lookup completed: the
 * replay's head is therefore never older than where reading starts, and the hub's de-duplication
 * against the head leaves neither a gap nor a duplicate. If the lookup failed (Redis away), the
 * next {@code open} tries again.
 *
 * <p><b>Waiting for the reader.</b> An append to a followed topic completes once the reader has
 * delivered it to the hub, as the core's contract asks. A replay lookup completes only once the
 * reader has delivered every entry up to the replay's head: the hub de-duplicates against the head
 * only the live events that come before the subscriber opens, so one that came after would be a
 * duplicate.
 *
 * <p><b>Thread safety:</b> thread-safe. The reading position is confined to the reader thread;
 * {@link #delivered} is written by it and read by appending threads.
 */
final class FollowedTopic {
  /** Where the lookup made at follow time says reading starts. */
  record Start(StreamId cursor, String epoch, long number) {}

  /**
   * A stage waiting for the reader to deliver an entry; {@code order} tells apart waiters of one
   * id.
   */
  private record Waiter(StreamId id, long order) implements Comparable<Waiter> {
    @Override
    public int compareTo(Waiter other) {
      int byId = id.compareTo(other.id);
      return byId != 0 ? byId : Long.compare(order, other.order);
    }
  }

  final String topic;
  final String streamKey;
  private final AtomicReference<CompletableFuture<Void>> lookup = new AtomicReference<>();
  // Set once by the follow-time lookup; read by the reader thread.
  private volatile Start start;
  // Confined to the reader thread.
  StreamId cursor;
  String epoch;
  long number;
  // Written by the reader thread after each delivery; read by appending threads.
  private volatile StreamId delivered;
  private final ConcurrentSkipListMap<Waiter, CompletableFuture<Void>> waiting =
      new ConcurrentSkipListMap<>();
  private final AtomicLong waiterCount = new AtomicLong();

  FollowedTopic(String topic, String streamKey) {
    this.topic = topic;
    this.streamKey = streamKey;
  }

  /**
   * Returns a stage completed when the follow-time lookup is done; starts it, or starts it again if
   * it failed, with {@code lookupStart}, and runs {@code onStart} once the start is known (before
   * the stage completes).
   */
  CompletableFuture<Void> started(
      Function<FollowedTopic, CompletableFuture<Start>> lookupStart, Runnable onStart) {
    while (true) {
      CompletableFuture<Void> current = lookup.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<Void> next = new CompletableFuture<>();
      if (!lookup.compareAndSet(current, next)) {
        continue;
      }
      lookupStart
          .apply(this)
          .whenComplete(
              (found, failure) -> {
                if (failure != null) {
                  next.completeExceptionally(failure);
                } else {
                  if (start == null) {
                    start = found;
                  }
                  onStart.run();
                  next.complete(null);
                }
              });
      return next;
    }
  }

  /** Returns the follow-time start, or null while it is being looked up. */
  Start start() {
    return start;
  }

  /** Called by the reader after it delivered the entry {@code id} (or skipped past it). */
  void delivered(StreamId id, Executor executor) {
    delivered = id;
    completeThrough(id, executor);
  }

  /**
   * Returns a stage completed once the reader has delivered the entry {@code id} (or skipped past
   * it); completed already if it has. Completed on {@code executor} by the reader, never on the
   * reader thread.
   */
  CompletableFuture<Void> whenDelivered(StreamId id) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Waiter waiter = new Waiter(id, waiterCount.incrementAndGet());
    waiting.put(waiter, done);
    StreamId through = delivered;
    if (through != null && through.compareTo(id) >= 0 && waiting.remove(waiter) != null) {
      done.complete(null);
    }
    return done;
  }

  /** Completes every waiting stage: the topic is no longer followed, or the log is closing. */
  void completeAll(Executor executor) {
    completeThrough(null, executor);
  }

  private void completeThrough(StreamId id, Executor executor) {
    Map<Waiter, CompletableFuture<Void>> due =
        id == null ? waiting : waiting.headMap(new Waiter(id, Long.MAX_VALUE), true);
    for (Iterator<CompletableFuture<Void>> it = due.values().iterator(); it.hasNext(); ) {
      CompletableFuture<Void> done = it.next();
      it.remove();
      // Not on the reader thread: what the application chained to its publish must not delay
      // reading.
      try {
        executor.execute(() -> done.complete(null));
      } catch (RejectedExecutionException stopping) {
        done.complete(null);
      }
    }
  }

  @Override
  public String toString() {
    return "FollowedTopic{" + topic + ", cursor=" + cursor + "}";
  }
}
