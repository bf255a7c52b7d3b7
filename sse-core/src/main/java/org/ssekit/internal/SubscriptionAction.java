package org.ssekit.internal;

/**
 * What a {@link RealSubscription} must do once it has left its lock, decided under it: the write
 * loop is scheduled and the terminal steps run without the lock, so that no transport, listener or
 * log code runs while it is held.
 *
 * <p><b>Thread safety:</b> immutable.
 */
enum SubscriptionAction {
  /** Nothing. */
  NONE,
  /** Hand the subscription to the hub's ready queue: it has something to write. */
  SCHEDULE,
  /** Run {@link RealSubscription#finish()}: this decision moved it to closed. */
  FINISH;

  /** Without the subscription's lock: carries out this decision for {@code subscription}. */
  void carryOut(RealSubscription subscription) {
    if (this == SCHEDULE) {
      subscription.hub.schedule(subscription);
    } else if (this == FINISH) {
      subscription.finish();
    }
  }
}
