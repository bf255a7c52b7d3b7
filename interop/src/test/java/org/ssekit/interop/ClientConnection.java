package org.ssekit.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One client's connection to one scenario endpoint: what the client reported, in order, and a way
 * to ask its state and to close it. Subclasses adapt a client; they call {@link #record} from any
 * thread.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
abstract class ClientConnection implements AutoCloseable {
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final List<Observation> observations = new ArrayList<>();
  // @GuardedBy("lock"): System.nanoTime() when each observation was recorded, for diagnostics
  private final List<Long> recordedNanos = new ArrayList<>();

  /** Records what the client reported. Called by the client's adapter, on any thread. */
  final void record(Observation observation) {
    synchronized (lock) {
      observations.add(observation);
      recordedNanos.add(System.nanoTime());
      lock.notifyAll();
    }
  }

  /** Returns a snapshot of everything recorded so far. */
  final List<Observation> observations() {
    synchronized (lock) {
      return List.copyOf(observations);
    }
  }

  /**
   * Returns when the first observation of {@code kind} after {@code afterNanos} was recorded (by
   * the adapter, so a little after the client reported it), or -1 if there is none.
   */
  final long firstRecordedNanos(Observation.Kind kind, long afterNanos) {
    synchronized (lock) {
      for (int i = 0; i < observations.size(); i++) {
        if (observations.get(i).kind() == kind && recordedNanos.get(i) > afterNanos) {
          return recordedNanos.get(i);
        }
      }
      return -1;
    }
  }

  /** Returns a snapshot of the events recorded so far. */
  final List<Observation> events() {
    synchronized (lock) {
      return eventsLocked();
    }
  }

  /**
   * Waits until at least {@code count} events were recorded.
   *
   * @return true if they were, false if {@code timeout} passed first
   */
  final boolean awaitEvents(int count, Duration timeout) throws InterruptedException {
    return await(
        all -> all.stream().filter(o -> o.kind() == Observation.Kind.EVENT).count() >= count,
        timeout);
  }

  /**
   * Waits until the observations recorded so far satisfy {@code condition}.
   *
   * @return true if they did, false if {@code timeout} passed first
   */
  final boolean await(Predicate<List<Observation>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!condition.test(observations)) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
          return false;
        }
        long millis = Math.max(1, remainingNanos / 1_000_000);
        lock.wait(millis);
      }
      return true;
    }
  }

  /** Returns the client's current state, asked through its own API. */
  abstract ReadyState readyState() throws Exception;

  /** Closes the connection through the client's API; it must not reconnect afterwards. */
  @Override
  public abstract void close();

  private List<Observation> eventsLocked() {
    List<Observation> events = new ArrayList<>();
    for (Observation observation : observations) {
      if (observation.kind() == Observation.Kind.EVENT) {
        events.add(observation);
      }
    }
    return events;
  }
}
