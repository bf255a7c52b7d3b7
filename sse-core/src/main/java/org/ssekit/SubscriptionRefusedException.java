package org.ssekit;

import java.util.Objects;

/**
 * A hub refused a new subscriber, for a passing reason. Transports answer it as their endpoint's
 * {@link RefusalAnswer} says: by default {@code 200} with one jittered {@code retry:} (every client
 * comes back), or {@code 503 Service Unavailable} with {@code Retry-After}.
 */
public final class SubscriptionRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a subscriber was refused. */
  public enum Reason {
    /** The hub holds {@link SseHub.Builder#maxSubscribers(int)} subscribers already. */
    HUB_LIMIT,
    /** The topic holds {@link SseHub.Builder#maxSubscribersPerTopic(int)} subscribers already. */
    TOPIC_LIMIT,
    /** The hub is closed or closing. */
    HUB_CLOSED
  }

  private final Reason reason;

  /** Creates an exception for {@code reason} with a message that names the limit or state. */
  public SubscriptionRefusedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns why the subscriber was refused. */
  public Reason reason() {
    return reason;
  }
}
