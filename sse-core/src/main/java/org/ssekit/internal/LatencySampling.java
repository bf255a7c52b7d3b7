package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.DeliveryLatencySink;

/**
 * A hub's delivery latency sampling: picks every n-th event for fan-out while a {@link
 * DeliveryLatencySink} is attached, and reports the latencies of its writes to it.
 *
 * <p>Why so little on the hot path: with no sink attached, {@link #startNanos()} is one volatile
 * read per event and the fan-out carries {@link #NO_SAMPLE} as a plain {@code long} argument, so a
 * delivery pays nothing. Only a sampled event's deliveries note its start time in their queue (see
 * {@link OutboundQueue}), and only their write completions call {@link #record}.
 *
 * <p><b>Thread safety:</b> thread-safe; {@link #record} is called without any lock held.
 */
final class LatencySampling {
  /** The start time of an event that is not sampled. */
  static final long NO_SAMPLE = Long.MIN_VALUE;

  private static final System.Logger LOG = System.getLogger(LatencySampling.class.getName());

  // Volatile: attached and detached by the binder's thread, read by every fan-out.
  private volatile Attached attached;

  /**
   * Attaches {@code sink}, sampling every {@code everyNthEvent}-th event.
   *
   * @throws IllegalArgumentException if {@code everyNthEvent} is less than 1
   * @throws IllegalStateException if a sink is attached already
   */
  synchronized DeliveryLatencySink.Attachment attach(
      String hubName, int everyNthEvent, DeliveryLatencySink sink) {
    Objects.requireNonNull(sink, "sink");
    if (everyNthEvent < 1) {
      throw new IllegalArgumentException("everyNthEvent < 1: " + everyNthEvent);
    }
    if (attached != null) {
      throw new IllegalStateException(
          "hub "
              + hubName
              + " reports latencies to "
              + attached.sink
              + " already: close its attachment first");
    }
    Attached attaching = new Attached(sink, everyNthEvent);
    attached = attaching;
    return () -> detach(attaching);
  }

  private synchronized void detach(Attached attaching) {
    if (attached == attaching) {
      attached = null;
    }
  }

  /** Returns the start time of the event about to be fanned out if it is sampled, or NO_SAMPLE. */
  long startNanos() {
    Attached current = attached;
    return current == null ? NO_SAMPLE : current.next();
  }

  /**
   * Without any lock: reports that a write carrying an event sampled at {@code startNanos} ended.
   */
  void record(long startNanos) {
    Attached current = attached;
    if (current == null) {
      return; // detached since the event was sampled
    }
    long latencyNanos = Math.max(0, System.nanoTime() - startNanos);
    try {
      current.sink.record(latencyNanos);
    } catch (RuntimeException e) {
      if (current.failed.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, current.sink + " threw from record (logged once per attachment)", e);
      }
    }
  }

  private static final class Attached {
    final DeliveryLatencySink sink;
    final int everyNthEvent;
    final AtomicLong events = new AtomicLong();
    final AtomicBoolean failed = new AtomicBoolean(); // logged once

    Attached(DeliveryLatencySink sink, int everyNthEvent) {
      this.sink = sink;
      this.everyNthEvent = everyNthEvent;
    }

    long next() {
      return events.getAndIncrement() % everyNthEvent == 0 ? System.nanoTime() : NO_SAMPLE;
    }
  }
}
