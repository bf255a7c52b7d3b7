package org.ssekit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ssekit.CloseReason;
import org.ssekit.Subscription;

/**
 * The streams of each principal on one hub ({@link Subscription#attributeTo}), so that {@link
 * org.ssekit.SseHub#closeStreamsOf} ends them all at once.
 *
 * <p>A stream is authorized before it is subscribed and attributed, so a revocation can fall in
 * between: its authorizer said yes before the application revoked the principal, and the hub did
 * not know the stream yet when it ended the principal's streams. To close that window this class
 * remembers when each principal was last revoked, for {@link #REMEMBERED_NANOS}; an attribution
 * that names the instant its authorization began ({@code sinceNanos}) ends the stream if the
 * principal was revoked at or after it. An authorization plus subscription that takes longer than
 * that is not covered (it would have to outlive a minute on a request thread).
 *
 * <p><b>Thread safety:</b> thread-safe; decisions are taken under {@link #lock}, streams are ended
 * after it is released.
 */
final class PrincipalStreams {
  /** How long a revocation is remembered for the streams that were being opened meanwhile. */
  static final long REMEMBERED_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Object lock = new Object();
  private final Expiries expiries;
  private final Map<String, Set<RealSubscription>> streams = new HashMap<>(); // @GuardedBy("lock")
  private final Map<RealSubscription, String> owners = new HashMap<>(); // @GuardedBy("lock")

  /** Principal to the nanoTime of its last revocation, oldest first. @GuardedBy("lock") */
  private final LinkedHashMap<String, Long> revoked = new LinkedHashMap<>();

  PrincipalStreams(Expiries expiries) {
    this.expiries = expiries;
  }

  /**
   * Attributes {@code subscription} to {@code principal}, or ends it as {@link CloseReason#REVOKED}
   * if the principal was revoked at or after {@code sinceNanos} (a {@link System#nanoTime()}).
   *
   * @throws NullPointerException if {@code principal} is null
   * @throws IllegalArgumentException if {@code principal} is empty
   * @throws IllegalStateException if the subscription is attributed to another principal
   */
  void attribute(RealSubscription subscription, String principal, long sinceNanos) {
    if (Objects.requireNonNull(principal, "principal").isEmpty()) {
      throw new IllegalArgumentException("principal is empty");
    }
    boolean revokedSince;
    synchronized (lock) {
      Long revokedNanos = revoked.get(principal);
      revokedSince = revokedNanos != null && revokedNanos - sinceNanos >= 0;
      String owner = revokedSince ? null : owners.putIfAbsent(subscription, principal);
      if (owner != null && !owner.equals(principal)) {
        throw new IllegalStateException(subscription + " is attributed to another principal");
      }
      if (!revokedSince && owner == null) {
        streams.computeIfAbsent(principal, p -> new LinkedHashSet<>()).add(subscription);
      }
    }
    if (revokedSince) {
      subscription.closeGracefully(CloseReason.REVOKED, expiries.jitteredRetry());
    } else if (subscription.state() == Subscription.State.CLOSED) {
      forget(subscription); // it ended meanwhile: removed() may have run before the put
    }
  }

  /**
   * Ends every stream of {@code principal} gracefully as {@link CloseReason#REVOKED}, each with a
   * jittered {@code retry:}, and remembers the revocation for streams being opened meanwhile.
   *
   * @return the number of streams this call ended
   */
  int closeStreamsOf(String principal) {
    List<RealSubscription> ending;
    synchronized (lock) {
      long now = System.nanoTime();
      revoked.remove(principal); // re-inserted last: the map stays ordered by time
      revoked.put(principal, now);
      for (Iterator<Long> it = revoked.values().iterator(); it.hasNext(); ) {
        if (now - it.next() <= REMEMBERED_NANOS) {
          break;
        }
        it.remove();
      }
      Set<RealSubscription> owned = streams.remove(principal);
      ending = owned == null ? List.of() : new ArrayList<>(owned);
      ending.forEach(owners::remove);
    }
    int ended = 0;
    for (RealSubscription subscription : ending) {
      if (subscription.closeGracefully(CloseReason.REVOKED, expiries.jitteredRetry())) {
        ended++;
      }
    }
    return ended;
  }

  /** Forgets a subscription that ended. */
  void forget(RealSubscription subscription) {
    synchronized (lock) {
      String owner = owners.remove(subscription);
      if (owner != null) {
        Set<RealSubscription> owned = streams.get(owner);
        owned.remove(subscription);
        if (owned.isEmpty()) {
          streams.remove(owner);
        }
      }
    }
  }
}
