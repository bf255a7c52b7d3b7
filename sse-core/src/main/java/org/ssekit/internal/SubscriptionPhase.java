package org.ssekit.internal;

import org.ssekit.Subscription.State;

/**
 * The phases of a {@link RealSubscription}, with the state each reports: a finer view of {@link
 * State} that tells the hand-over from the replay to live events apart. A subscription passes
 * through them in order (skipping any but {@code CLOSED}).
 *
 * <p><b>Thread safety:</b> immutable.
 */
enum SubscriptionPhase {
  /** Waiting for the log's replay; live events are held back. */
  CONNECTING(State.CONNECTING),
  /** Replay queued, the listener's onOpen running; live events still held back. */
  OPENING(State.OPEN),
  /** Live. */
  OPEN(State.OPEN),
  /** Draining what is queued, then closing. */
  CLOSING(State.CLOSING),
  /** Ended; terminal actions done or under way. */
  CLOSED(State.CLOSED);

  final State reported;

  SubscriptionPhase(State reported) {
    this.reported = reported;
  }
}
