package org.ssekit.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's event counters; adders, because many publisher and delivery threads bump them at once.
 */
final class HubCounters {
  final LongAdder eventsPublished = new LongAdder();
  final LongAdder eventsDelivered = new LongAdder();
  final LongAdder overflowDisconnects = new LongAdder();
  final LongAdder overflowDrops = new LongAdder();
  final LongAdder stallDisconnects = new LongAdder();
  final LongAdder keepAlivesSent = new LongAdder();
}
