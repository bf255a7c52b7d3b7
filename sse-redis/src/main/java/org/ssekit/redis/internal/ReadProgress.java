package org.ssekit.redis.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far this node's {@link StreamReader} has reported the log's index stream to the hub, and the
 * appends and replay lookups that wait for it.
 *
 * <p><b>Where reading starts.</b> The reader starts after the index's newest entry at the time the
 * log starts. A replay lookup runs only once that start is known ({@link #started()}): its head is
 * then never older than where reading started, so every event after the head is reported live.
 *
 * <p><b>Waiting for the reader.</b> An append completes once the reader has reported it to the hub,
 * as the core's contract asks. A replay lookup completes only once the reader has reported every
 * entry up to the replay's head: the hub de-duplicates against the replay only the live events that
 * come before the subscriber opens, so one that came after would be a duplicate.
 *
 * <p><b>Thread safety:</b> thread-safe. {@link #start} and {@link #delivered} are called by the
 * reader thread; the rest by any thread.
 */
final class ReadProgress {
  /** A stage waiting for an entry; {@code order} tells apart waiters of one id. */
  private record Waiter(StreamId id, long order) implements Comparable<Waiter> {
    @Override
    public int compareTo(Waiter other) {
      int byId = id.compareTo(other.id);
      return byId != 0 ? byId : Long.compare(order, other.order);
    }
  }

  private final Executor executor;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  // Written by the reader thread after each report; read by appending and looking-up threads.
  private volatile StreamId delivered;
  private final ConcurrentSkipListMap<Waiter, CompletableFuture<Void>> waiting =
      new ConcurrentSkipListMap<>();
  private final AtomicLong waiterCount = new AtomicLong();

  /**
   * @param executor where waiting stages are completed: never the reader thread, so that what the
   *     application chained to a publish cannot delay reading
   */
  ReadProgress(Executor executor) {
    this.executor = executor;
  }

  /** Returns a stage completed once the reader knows where it starts. */
  CompletableFuture<Void> started() {
    return started;
  }

  /** Called by the reader once it knows where it starts: after the entry {@code cursor}. */
  void start(StreamId cursor) {
    delivered(cursor);
    run(() -> started.complete(null));
  }

  /** Called by the reader after it reported the entry {@code id} (or skipped past it). */
  void delivered(StreamId id) {
    delivered = id;
    completeThrough(id);
  }

  /**
   * Returns a stage completed once the reader has reported the entry {@code id} (or skipped past
   * it); completed already if it has.
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

  /** Completes every waiting stage on the calling thread: the log is closing. */
  void completeAll() {
    for (Iterator<CompletableFuture<Void>> it = waiting.values().iterator(); it.hasNext(); ) {
      CompletableFuture<Void> done = it.next();
      it.remove();
      done.complete(null);
    }
  }

  /** Returns the newest entry reported, or null before the start is known. */
  StreamId delivered() {
    return delivered;
  }

  private void completeThrough(StreamId id) {
    Map<Waiter, CompletableFuture<Void>> due =
        waiting.headMap(new Waiter(id, Long.MAX_VALUE), true);
    for (Iterator<CompletableFuture<Void>> it = due.values().iterator(); it.hasNext(); ) {
      CompletableFuture<Void> done = it.next();
      it.remove();
      run(() -> done.complete(null));
    }
  }

  private void run(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException stopping) {
      completion.run();
    }
  }
}
