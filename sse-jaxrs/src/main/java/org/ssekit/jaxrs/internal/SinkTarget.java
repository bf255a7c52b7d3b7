package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger.Level;
import org.ssekit.Authorization;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.internal.StreamAuthorization;

/**
 * One sink's stream of a topic or a {@link Selection}: what it joins, the subscription once the hub
 * admitted it, and the single terminal notification to its broadcaster (if any).
 *
 * <p><b>Thread safety:</b> thread-safe. The broadcaster is called outside {@link #lock}.
 */
final class SinkTarget implements SseListener {
  private static final System.Logger LOG = System.getLogger(SinkTarget.class.getName());

  /**
   * The sink, or null for an {@code @SseTopic} stream on a runtime that does not show the sink to
   * filters (RESTEasy); such a stream is only ever served by the servlet write path.
   */
  final SseEventSink sink;

  final Selection selection;

  /** The broadcaster the sink was registered with, or null for an {@code @SseTopic} method. */
  private final RealSseBroadcaster broadcaster;

  /** True if the stream asked for presence events ({@link Subscription#receivePresence()}). */
  private final boolean receivesPresence;

  private final Object lock = new Object();

  // @GuardedBy("lock")
  private Subscription subscription;
  private boolean closeRequested;
  private boolean ended;
  private String lastEventId;
  private Throwable failure;
  private Authorization allowance; // null if not authorized through the stream filter
  private String requestPrincipal;
  private long authorizingSinceNanos;

  SinkTarget(SseEventSink sink, Selection selection, RealSseBroadcaster broadcaster) {
    this(sink, selection, broadcaster, false);
  }

  SinkTarget(
      SseEventSink sink,
      Selection selection,
      RealSseBroadcaster broadcaster,
      boolean receivesPresence) {
    this.sink = sink;
    this.selection = selection;
    this.broadcaster = broadcaster;
    this.receivesPresence = receivesPresence;
  }

  void lastEventId(String lastEventId) {
    synchronized (lock) {
      this.lastEventId = lastEventId;
    }
  }

  String lastEventId() {
    synchronized (lock) {
      return lastEventId;
    }
  }

  /**
   * Records the authorizer's allowance of the stream, the request's principal and when the
   * authorization began, for {@link #bind}.
   */
  void authorized(Authorization allowance, String requestPrincipal, long authorizingSinceNanos) {
    synchronized (lock) {
      this.allowance = allowance;
      this.requestPrincipal = requestPrincipal;
      this.authorizingSinceNanos = authorizingSinceNanos;
    }
  }

  /** Returns the principal the stream is attributed to, or null (see {@link #authorized}). */
  String principalName() {
    synchronized (lock) {
      return allowance == null ? null : allowance.principal().orElse(requestPrincipal);
    }
  }

  /** Records why a write failed, for {@code onError}. */
  void failure(Throwable cause) {
    synchronized (lock) {
      if (failure == null) {
        failure = cause;
      }
    }
  }

  /**
   * Remembers the hub's subscription and applies the stream's allowance to it (its principal, its
   * expiry: see {@link StreamAuthorization#bind}); closes it at once if the broadcaster was closed
   * meanwhile.
   */
  void bind(Subscription subscription) {
    boolean close;
    Authorization authorization;
    String principal;
    long since;
    synchronized (lock) {
      this.subscription = subscription;
      close = closeRequested && !ended;
      authorization = allowance;
      principal = requestPrincipal;
      since = authorizingSinceNanos;
    }
    if (authorization != null) {
      StreamAuthorization.bind(subscription, authorization, principal, since);
    }
    if (receivesPresence) {
      subscription.receivePresence();
    }
    if (close) {
      subscription.close();
    }
  }

  /** Ends the stream gracefully (broadcaster closed). */
  void close() {
    Subscription current;
    synchronized (lock) {
      closeRequested = true;
      current = subscription;
    }
    if (current != null) {
      current.close();
    }
  }

  boolean isCloseRequested() {
    synchronized (lock) {
      return closeRequested;
    }
  }

  /** The hub refused the sink or it never joined: its only notification. */
  void refused() {
    ended(CloseReason.UNSUBSCRIBED);
  }

  @Override
  public void onClose(Subscription subscription, CloseReason reason) {
    ended(reason);
  }

  private void ended(CloseReason reason) {
    Throwable cause;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      cause = failure;
    }
    LOG.log(Level.DEBUG, () -> "sink of " + selection + " ended: " + reason);
    if (broadcaster != null) {
      broadcaster.ended(this, reason, cause);
    }
  }

  @Override
  public String toString() {
    return "SinkTarget{selection=" + selection + ", broadcaster=" + broadcaster + "}";
  }
}
