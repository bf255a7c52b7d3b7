package org.ssekit.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.OverflowPolicy;

/**
 * The live events a subscriber receives while its replay is looked up and its listener's {@code
 * onOpen} runs, held back so that the stream starts with the replay. They count against the
 * subscriber's queue bound, so a slow log lookup cannot make them grow without limit; under {@link
 * OverflowPolicy#DROP_OLDEST} the oldest are dropped and the newest dropped one is remembered, as
 * the replay may cover it (no gap then) or not.
 *
 * <p><b>Thread safety:</b> not thread-safe; guarded by the owning subscription's lock. A {@link
 * Taken} batch belongs to the thread that took it.
 */
final class HeldEvents {
  private final long maxBytes;
  private final boolean dropOldest;
  private final HubCounters counters;
  private ArrayDeque<LoggedEvent> events; // created on the first event: most subscribers get none
  private long bytes;
  private LoggedEvent droppedThrough;
  private boolean logLost;

  HeldEvents(SubscriptionSettings settings, HubCounters counters) {
    this.maxBytes = settings.maxQueuedBytes();
    this.dropOldest = settings.overflowPolicy() == OverflowPolicy.DROP_OLDEST;
    this.counters = counters;
  }

  /**
   * Holds {@code event} if it fits under the bound; under {@link OverflowPolicy#DROP_OLDEST} drops
   * the oldest until it does.
   *
   * @return false if it does not fit and nothing may be dropped: the subscriber overflows
   */
  boolean hold(LoggedEvent event) {
    int size = LoggedEvents.encoded(event).length;
    if (events == null) {
      events = new ArrayDeque<>();
    } else if (!events.isEmpty() && bytes + size > maxBytes) {
      if (!dropOldest) {
        return false;
      }
      while (!events.isEmpty() && bytes + size > maxBytes) {
        droppedThrough = events.pollFirst();
        bytes -= LoggedEvents.encoded(droppedThrough).length;
        counters.overflowDrops.increment();
      }
    }
    events.addLast(event);
    bytes += size;
    return true;
  }

  /**
   * Notes that the log lost events ({@code EventLog.Sink#onEventsLost}): the replay may or may not
   * have covered them, so the stream goes live with a gap notice.
   */
  void logLost() {
    logLost = true;
  }

  /** Returns true if nothing is held, dropped or lost since the last {@link #take}. */
  boolean isEmpty() {
    return (events == null || events.isEmpty()) && droppedThrough == null && !logLost;
  }

  /** Takes what is held, dropped and lost; holds nothing from now on. */
  Taken take() {
    Taken taken = new Taken(events, droppedThrough, logLost);
    clear();
    return taken;
  }

  /** Forgets everything held and dropped. */
  void clear() {
    events = null;
    bytes = 0;
    droppedThrough = null;
    logLost = false;
  }

  /**
   * Held events taken for the hand-over to live: {@link #removeCovered} runs without the lock (it
   * calls the log), {@link #queueTo} under it.
   */
  static final class Taken {
    private final ArrayDeque<LoggedEvent> events; // or null
    private final LoggedEvent droppedThrough; // or null
    private final boolean logLost;
    private boolean gap;

    private Taken(ArrayDeque<LoggedEvent> events, LoggedEvent droppedThrough, boolean logLost) {
      this.events = events;
      this.droppedThrough = droppedThrough;
      this.logLost = logLost;
    }

    /**
     * Removes the events up to {@code coveredId} (the last replayed event, or null if none), which
     * the replay sent already, and notes a gap if the dropped ones were not all covered.
     */
    void removeCovered(String coveredId, EventLog log) {
      gap = droppedThrough != null && isNewer(droppedThrough, coveredId, log);
      if (events != null) {
        for (Iterator<LoggedEvent> it = events.iterator(); it.hasNext(); ) {
          if (!isNewer(it.next(), coveredId, log)) {
            it.remove();
          }
        }
      }
    }

    private static boolean isNewer(LoggedEvent event, String coveredId, EventLog log) {
      return coveredId == null || log.compare(event.id(), coveredId) > 0;
    }

    /** Queues what is left, after a gap notice if events were lost. */
    void queueTo(OutboundQueue queue) {
      if (logLost) {
        queue.addGap(OutboundQueue.GAP_LOG_LOST);
      }
      if (gap) {
        queue.addGap(OutboundQueue.GAP_OVERFLOW);
      }
      if (events != null) {
        for (LoggedEvent event : events) {
          queue.addEvent(LoggedEvents.encoded(event));
        }
      }
    }
  }
}
