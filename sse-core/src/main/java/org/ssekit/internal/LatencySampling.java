package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.DeliveryLatencySink;
import org.ssekit.LoggedEvent;

/**
 * A hub's delivery latency sampling: picks every n-th event for fan-out while a {@link
 * DeliveryLatencySink} is attached, and reports the latencies of its writes to it.
 *
 * <p>Why so little on the hot path: with no sink attached, {@link #sample} is one volatile read per
 * event and the fan-out carries a null {@link Sample}, so a delivery pays one null check. Only a
 * sampled event allocates its {@code Sample}, only its deliveries note it in their queue (see
 * {@link OutboundQueue}), and only their write completions call {@link #record}.
 *
 * <p><b>Thread safety:</b> thread-safe; {@link #record} is called without any lock held.
 */
final class LatencySampling {
  private static final System.Logger LOG = System.getLogger(LatencySampling.class.getName());

  // Volatile: attached and detached by the binder's thread, read by every fan-out.
  private volatile Attached attached;

  /** A sampled event: its topic, and when the hub took it for fan-out. Immutable. */
  record Sample(String topic, long startNanos) {}

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
              + " already reports latencies to "
              + attached.sink
              + ": close its attachment first");
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

  /** Returns the sample of {@code event}, about to be fanned out, or null if it is not sampled. */
  Sample sample(LoggedEvent event) {
    Attached current = attached;
    return current == null || !current.isNext()
        ? null
        : new Sample(event.topic(), System.nanoTime());
  }

  /** Without any lock: a write carrying the event of {@code sample} completed. */
  void record(Sample sample) {
    Attached current = attached;
    if (current == null) {
      return; // detached since the event was sampled
    }
    long latencyNanos = Math.max(0, System.nanoTime() - sample.startNanos());
    try {
      current.sink.record(sample.topic(), latencyNanos);
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

    boolean isNext() {
      return events.getAndIncrement() % everyNthEvent == 0;
    }
  }
}
