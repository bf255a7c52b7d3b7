package org.ssekit.internal;

import java.util.concurrent.atomic.LongAdder;
import org.ssekit.CloseReason;
import org.ssekit.HubStats;
import org.ssekit.SubscriptionRefusedException;
import org.ssekit.SubscriptionRefusedException.Reason;

/**
 * The hub's counters; adders, because many publisher and delivery threads bump them at once.
 * Closings and refusals have one adder per reason, indexed by the enum's ordinal, so that a new
 * reason is counted (and reported by {@link HubStats}) without new code here.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubCounters {
  final LongAdder eventsPublished = new LongAdder();
  final LongAdder eventsDelivered = new LongAdder();
  final LongAdder overflowDrops = new LongAdder();
  final LongAdder keepAlivesSent = new LongAdder();
  final LongAdder streamsOpened = new LongAdder();
  final LongAdder replays = new LongAdder();
  final LongAdder gapNotices = new LongAdder();
  private final LongAdder[] closed = adders(CloseReason.values().length);
  private final LongAdder[] refused = adders(Reason.values().length);

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  /** Counts a stream that started, with a replay of at least one event or without. */
  void started(boolean replayed) {
    if (replayed) {
      replays.increment();
    }
  }

  /** Counts a subscription that ended for {@code reason}. */
  void closed(CloseReason reason) {
    closed[reason.ordinal()].increment();
  }

  /** Counts a subscriber refused for {@code reason}; returns the exception to throw. */
  SubscriptionRefusedException refused(Reason reason, String message) {
    refused[reason.ordinal()].increment();
    return new SubscriptionRefusedException(reason, message);
  }

  /** Counts the events and gap notices of a batch that was handed to a transport. */
  void handedOver(int events, int gaps) {
    if (events > 0) {
      eventsDelivered.add(events);
    }
    if (gaps > 0) {
      gapNotices.add(gaps);
    }
  }

  /** Returns a snapshot of the counters with the given gauges. */
  HubStats snapshot(int subscribers, int topics, long bytesQueued) {
    HubStats.Builder stats =
        HubStats.builder()
            .gauges(subscribers, topics, bytesQueued)
            .events(
                eventsPublished.sum(),
                eventsDelivered.sum(),
                keepAlivesSent.sum(),
                overflowDrops.sum(),
                replays.sum(),
                gapNotices.sum())
            .streamsOpened(streamsOpened.sum());
    for (CloseReason reason : CloseReason.values()) {
      stats.streamsClosed(reason, closed[reason.ordinal()].sum());
    }
    for (Reason reason : Reason.values()) {
      stats.refusals(reason, refused[reason.ordinal()].sum());
    }
    return stats.build();
  }
}
