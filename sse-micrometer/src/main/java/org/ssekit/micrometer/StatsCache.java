package org.ssekit.micrometer;

import java.util.function.LongSupplier;
import org.ssekit.HubStats;
import org.ssekit.SseHub;

/**
 * The hub's stats, taken at most once per {@code maxAgeNanos}: a scrape reads a dozen meters, and
 * {@link SseHub#stats()} visits every subscription for the bytes queued.
 *
 * <p><b>Thread safety:</b> thread-safe; two scrapes at once may both take a snapshot.
 */
final class StatsCache {
  private final SseHub hub;
  private final long maxAgeNanos;
  private final LongSupplier clock;

  // Volatile: one immutable pair, replaced whole, read by any scraping thread.
  private volatile Taken taken;

  private record Taken(HubStats stats, long atNanos) {}

  StatsCache(SseHub hub, long maxAgeNanos, LongSupplier clock) {
    this.hub = hub;
    this.maxAgeNanos = maxAgeNanos;
    this.clock = clock;
  }

  /** Returns a snapshot taken at most the maximum age ago. */
  HubStats stats() {
    long now = clock.getAsLong();
    Taken current = taken;
    if (current == null || now - current.atNanos >= maxAgeNanos) {
      current = new Taken(hub.stats(), now);
      taken = current;
    }
    return current.stats;
  }
}
