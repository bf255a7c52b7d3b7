package org.ssekit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.ssekit.CloseReason;
import org.ssekit.Subscription;

/**
 * The expiry instants of a hub's subscriptions ({@link Subscription#expireAt}): one task on the
 * hub's scheduler per subscription that has one (a heap ordered by instant, so no thread or timer
 * per stream), which ends the stream gracefully with a jittered {@code retry:}. Also the jittered
 * {@code retry:} that ends streams when the hub closes.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class Expiries {
  private final HubExecutors executors;
  private final long retryMinMillis;
  private final long retryMaxMillis;

  /** The pending ending of each subscription with an expiry; the earliest instant only. */
  private final ConcurrentHashMap<RealSubscription, Pending> pending = new ConcurrentHashMap<>();

  Expiries(HubExecutors executors, HubConfig config) {
    this.executors = executors;
    this.retryMinMillis = config.shutdownRetryMin().toMillis();
    this.retryMaxMillis = config.shutdownRetryMax().toMillis();
  }

  /**
   * Returns a {@code retry:} field (and its blank line) uniformly random in the hub's shutdown
   * retry window, so that the clients of streams ended together do not come back together.
   */
  byte[] jitteredRetry() {
    long millis = ThreadLocalRandom.current().nextLong(retryMinMillis, retryMaxMillis + 1);
    return EventStreamEncoder.encodeRetry(Duration.ofMillis(millis));
  }

  /** Ends {@code subscription} at {@code instant}, unless an earlier instant is pending. */
  void expireAt(RealSubscription subscription, Instant instant) {
    long delayNanos = nanosUntil(instant);
    if (delayNanos <= 0) {
      expire(subscription);
      return;
    }
    long dueNanos = System.nanoTime() + delayNanos;
    // The scheduling happens inside compute: at most one task per subscription, the earliest.
    pending.compute(
        subscription,
        (key, current) -> {
          if (current != null && current.dueNanos - dueNanos <= 0) {
            return current;
          }
          ScheduledFuture<?> task = executors.schedule(() -> expire(key), delayNanos);
          if (task == null) {
            return current;
          }
          if (current != null) {
            current.task.cancel(false);
          }
          return new Pending(dueNanos, task);
        });
    if (subscription.state() == Subscription.State.CLOSED) {
      forget(subscription); // it ended meanwhile: removed() may have run before the put
    }
  }

  /** Cancels the pending ending of a subscription that ended. */
  void forget(RealSubscription subscription) {
    Pending removed = pending.remove(subscription);
    if (removed != null) {
      removed.task.cancel(false);
    }
  }

  private void expire(RealSubscription subscription) {
    pending.remove(subscription);
    subscription.closeGracefully(CloseReason.EXPIRED, jitteredRetry());
  }

  private static long nanosUntil(Instant instant) {
    Duration left = Duration.between(Instant.now(), instant);
    // Far futures saturate: Duration.toNanos overflows beyond 292 years.
    return left.compareTo(Duration.ofDays(365L * 100)) > 0
        ? Duration.ofDays(365L * 100).toNanos()
        : left.toNanos();
  }

  /** A scheduled ending and when it is due, in {@link System#nanoTime()} terms. */
  private static final class Pending {
    final long dueNanos;
    final ScheduledFuture<?> task;

    Pending(long dueNanos, ScheduledFuture<?> task) {
      this.dueNanos = dueNanos;
      this.task = task;
    }
  }
}
