package org.ssekit.samples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the asynchronous operations of one room one after another, in the order they were submitted;
 * operations of different rooms run independently.
 *
 * <p>Why: a message goes to two topics of the hub (see {@link ChatRooms}), in two publications.
 * Without turns, two messages posted to one room at once could reach the two topics in different
 * orders, and a closing could fall between a message's two publications. One turn per room makes
 * every operation of the room whole and keeps one order on this node. (Across nodes sharing Redis,
 * each node keeps its own turns: see the samples README.)
 *
 * <p>No thread is blocked and no lock is held while an operation runs: each room keeps only the
 * stage that completes when its latest operation ends, and the next operation starts when it does,
 * on the thread that completed it (this method's caller if the room is idle).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RoomTurns {
  /** Per room with an operation running or waiting: completes when the latest one has ended. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> latest =
      new ConcurrentHashMap<>();

  /**
   * Starts {@code operation} once every operation submitted before for {@code room} has ended
   * (successfully or not).
   *
   * @return the operation's stage, failed with what the operation threw if it threw
   */
  <T> CompletionStage<T> run(String room, Supplier<? extends CompletionStage<T>> operation) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    CompletableFuture<Void> previous = latest.put(room, ended);
    CompletableFuture<Void> start =
        previous == null ? CompletableFuture.completedFuture(null) : previous;
    // thenCompose turns an exception thrown by the operation into a failed stage.
    CompletableFuture<T> result = start.thenCompose(ignored -> operation.get());
    result.whenComplete(
        (value, failure) -> {
          // Forget the room if nothing was submitted since; then let the next operation start.
          latest.remove(room, ended);
          ended.complete(null);
        });
    return result;
  }

  /** Returns the number of rooms with an operation running or waiting; for tests. */
  int busyRooms() {
    return latest.size();
  }
}
