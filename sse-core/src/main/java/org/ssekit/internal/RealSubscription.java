package org.ssekit.internal;

import static org.ssekit.internal.SubscriptionAction.FINISH;
import static org.ssekit.internal.SubscriptionAction.NONE;
import static org.ssekit.internal.SubscriptionAction.SCHEDULE;
import static org.ssekit.internal.SubscriptionPhase.CLOSED;
import static org.ssekit.internal.SubscriptionPhase.CLOSING;
import static org.ssekit.internal.SubscriptionPhase.CONNECTING;
import static org.ssekit.internal.SubscriptionPhase.OPEN;
import static org.ssekit.internal.SubscriptionPhase.OPENING;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;

/**
 * One subscriber of one topic ({@link #topic}) or of a selection ({@link #membership}): its
 * lifecycle and its bounded {@link OutboundQueue}, which its {@link WriteLoop} hands to the
 * transport. The three share {@link #lock}, so queuing a chunk and scheduling the loop is one step;
 * decisions are taken under it; the transport, listener and log are called after it is released.
 *
 * <p><b>Lifecycle:</b> the {@link SubscriptionPhase}s in order; the one call that moved it to
 * {@code CLOSED} runs (or hands over) {@link #finish()}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RealSubscription implements Subscription, WriteLoop.Owner {
  private static final AtomicLong IDS = new AtomicLong();

  final RealSseHub hub; // package-private for StreamAuthorization.attribute
  final HubTopic topic; // its incarnation of the topic, or null for a selection
  final SelectionMembership membership; // or null for one topic
  private final SubscriptionSettings settings;
  private final String id;
  private final Object lock; // the write loop's (see WriteLoop#lock): one lock for all three
  final WriteLoop writes; // run by the hub's ReadyQueue
  private final ListenerCalls listener;

  private SubscriptionPhase phase = CONNECTING; // @GuardedBy("lock")
  private final OutboundQueue queue; // @GuardedBy("lock"), except OutboundQueue.bytes()
  private final HeldEvents held; // @GuardedBy("lock")
  private CloseReason closeReason; // @GuardedBy("lock")
  RealSubscription nextReady; // next in the hub's ReadyQueue; guarded by that queue's lock

  RealSubscription(
      RealSseHub hub,
      HubTopic topic,
      SelectionMembership membership,
      SseTransport transport,
      SseListener listener) {
    this.hub = hub;
    this.topic = topic;
    this.membership = membership;
    this.settings = hub.subscriptionSettings();
    this.id = "sse-" + IDS.incrementAndGet();
    this.writes = new WriteLoop(this, transport, id, hub.sampling());
    this.lock = writes.lock();
    this.listener = new ListenerCalls(listener, id, lock, hub.callbacks());
    this.queue = new OutboundQueue(settings, hub.counters(), writes);
    this.held = new HeldEvents(settings, hub.counters());
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String topic() {
    return topic != null ? topic.name : membership.name;
  }

  @Override
  public Selection selection() {
    return topic != null ? Selection.topic(topic.name) : membership.selection;
  }

  @Override
  public State state() {
    synchronized (lock) {
      return phase.reported;
    }
  }

  @Override
  public long queuedBytes() {
    return queue.bytes();
  }

  @Override
  public boolean offer(ServerSentEvent event) {
    byte[] bytes = EventStreamEncoder.encode(event); // throws NullPointerException("event")
    SubscriptionAction action;
    synchronized (lock) {
      if (phase == CLOSING || phase == CLOSED) {
        return false;
      }
      action = enqueue(bytes, null);
    }
    action.carryOut(this);
    return action != FINISH;
  }

  /**
   * Offers a live event of a fan-out ({@code encoded} is its shared wire form), with its latency
   * {@code sample} (null if not sampled); adds this subscription to {@code ready} if it is now
   * ready to write. Never calls out.
   */
  void offerLive(
      LoggedEvent event, byte[] encoded, ReadyQueue.Batch ready, LatencySampling.Sample sample) {
    SubscriptionAction action;
    synchronized (lock) {
      // Common case first, no switch: a switch over an enum reads a lookup table per delivery.
      if (phase == OPEN) {
        action = enqueue(encoded, sample);
      } else if (phase == CONNECTING || phase == OPENING) {
        action = held.hold(event) ? NONE : overflowDisconnect(settings.maxQueuedBytes());
      } else {
        return;
      }
    }
    if (action == FINISH) {
      hub.finishLater(this);
    } else if (action == SCHEDULE) {
      ready.add(this);
    }
  }

  /** The log lost events this stream may not have had: a gap notice now, or when it goes live. */
  void eventsLost() {
    SubscriptionAction action = NONE;
    synchronized (lock) {
      if (phase == OPEN) {
        queue.addGap(OutboundQueue.GAP_LOG_LOST);
        action = scheduleIfIdle();
      } else if (phase == CONNECTING || phase == OPENING) {
        held.logLost();
      }
    }
    action.carryOut(this);
  }

  /** Queues a keep-alive if the stream is idle, or ends it if it stalled. Called by the sweeper. */
  void sweep(long now) {
    SubscriptionAction action = NONE;
    long stalledBytes = -1;
    synchronized (lock) {
      if (phase == OPEN || phase == CLOSING) {
        stalledBytes = queue.stalledBytes(now);
        if (stalledBytes >= 0) {
          action = terminate(CloseReason.STALLED);
        } else if (phase == OPEN && queue.addKeepAliveIfIdle(now)) {
          action = scheduleIfIdle();
        }
      }
    }
    if (stalledBytes >= 0 && action == FINISH) {
      SubscriptionLog.stalled(id, settings.stallNanos(), stalledBytes);
    }
    action.carryOut(this);
  }

  /**
   * Continues with what the log knows about the client's {@code lastEventId} ({@code replay}), or
   * ends the subscription if the lookup failed: queues the first write and the replay, calls the
   * listener's {@code onOpen}, then goes live.
   */
  void start(Replay replay, Throwable failure, String lastEventId) {
    SubscriptionAction action = NONE;
    // Held events up to the last replayed one, or else to a known presented id (a log on several
    // nodes may report older events late), are duplicates; not up to the head (no id: no replay).
    String lastReplayedId = null;
    synchronized (lock) {
      if (phase != CONNECTING) {
        return;
      }
      if (failure != null
          || replay.isTopicClosed()
          || (membership != null && membership.closeTopics(replay.closedTopics()))) {
        action = terminate(failure != null ? CloseReason.ERROR : CloseReason.TOPIC_CLOSED);
      } else {
        lastReplayedId = queue.startWith(settings.firstWrite(), replay, settings.unknownIdPolicy());
        lastReplayedId = lastReplayedId == null && replay.isKnown() ? lastEventId : lastReplayedId;
        phase = OPENING;
        listener.openStarting();
      }
    }
    SubscriptionLog.lookUpFailed(id, failure); // if it failed
    if (action != NONE) {
      action.carryOut(this);
      return;
    }
    hub.counters().started(lastReplayedId != null);
    String covered = lastReplayedId;
    listener.open(this, () -> goLive(covered), () -> terminateNow(CloseReason.ERROR));
  }

  /**
   * Queues the live events held back since the subscriber registered, except those the replay
   * covered, and goes {@link SubscriptionPhase#OPEN}. The log compares ids outside the lock, so
   * more events may be held meanwhile: the loop takes them in turn, in order, until none is left.
   */
  private void goLive(String coveredId) {
    while (true) {
      HeldEvents.Taken taken = null;
      SubscriptionAction action = null;
      synchronized (lock) {
        if (phase == OPENING && held.isEmpty()) {
          phase = OPEN;
        }
        if (phase == OPENING) {
          taken = held.take();
        } else {
          action = scheduleIfIdle();
        }
      }
      if (action != null) {
        action.carryOut(this);
        return;
      }
      taken.removeCovered(coveredId, hub.log());
      synchronized (lock) {
        if (phase == OPENING) {
          taken.queueTo(queue);
        }
      }
    }
  }

  @Override
  public void close() {
    closeGracefully(CloseReason.UNSUBSCRIBED, null);
  }

  /** Some exact topics of the selection closed; the stream ends if nothing of it is left open. */
  void topicsClosed(Collection<String> closed) {
    synchronized (lock) {
      if (!membership.closeTopics(closed)) {
        return;
      }
    }
    closeGracefully(CloseReason.TOPIC_CLOSED, null);
  }

  /** Ends after the queue and {@code last} (or at once if connecting); true if this call did. */
  boolean closeGracefully(CloseReason reason, byte[] last) {
    SubscriptionAction action;
    synchronized (lock) {
      if (phase == CLOSING || phase == CLOSED) {
        return false;
      }
      if (phase == CONNECTING) {
        action = terminate(reason);
      } else {
        if (last != null) {
          queue.add(last);
        }
        phase = CLOSING;
        closeReason = reason;
        action = scheduleIfIdle();
      }
    }
    action.carryOut(this);
    return true;
  }

  @Override
  public void expireAt(Instant instant) {
    hub.expiries().expireAt(this, Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public void attributeTo(String principal) {
    hub.principals().attribute(this, principal, System.nanoTime());
  }

  @Override
  public void receivePresence() {
    hub.presence().listen(this);
  }

  @Override
  public void abort(Throwable cause) {
    boolean gone = Objects.requireNonNull(cause, "cause") instanceof ClientGoneException;
    CloseReason reason = gone ? CloseReason.CLIENT_GONE : CloseReason.ERROR;
    if (terminateNow(reason)) {
      SubscriptionLog.aborted(id, reason, cause);
    }
  }

  /** Ends the stream at once (as a hub that stops waiting for a drain); true if this call did. */
  boolean terminateNow(CloseReason reason) {
    SubscriptionAction action;
    synchronized (lock) {
      action = terminate(reason);
    }
    action.carryOut(this);
    return action == FINISH;
  }

  /** Runs the terminal actions of a subscription that reached {@link SubscriptionPhase#CLOSED}. */
  @Override
  public void finish() {
    CloseReason reason;
    boolean closeTransport;
    boolean notify;
    synchronized (lock) {
      reason = closeReason;
      closeTransport = writes.close(reason);
      notify = listener.closing(reason);
    }
    hub.removed(this, reason);
    if (closeTransport) {
      writes.closeTransport(reason);
    }
    if (notify) {
      listener.close(this, reason);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return String.format(
          "RealSubscription@%s[%s, topic=%s, queuedBytes=%d]", id, phase, topic(), queue.bytes());
    }
  }

  // ---- the write loop's view, and helpers; each runs under the lock ----

  @Override
  public WriteLoop.Next fill(List<byte[]> batch) {
    assert Thread.holdsLock(lock);
    if (phase == CLOSED || phase == CONNECTING) {
      return WriteLoop.Next.IDLE;
    }
    if (queue.isDrained()) {
      return phase == CLOSING && terminate(closeReason) == FINISH
          ? WriteLoop.Next.FINISH
          : WriteLoop.Next.IDLE;
    }
    queue.drainTo(batch);
    return WriteLoop.Next.WRITE;
  }

  @Override
  public LatencySampling.Sample written() {
    assert Thread.holdsLock(lock);
    return queue.written();
  }

  @Override
  public void handedOver() {
    queue.handedOver();
  }

  private SubscriptionAction enqueue(byte[] bytes, LatencySampling.Sample sample) {
    return queue.offer(bytes, sample) ? scheduleIfIdle() : overflowDisconnect(queue.boundBytes());
  }

  private SubscriptionAction overflowDisconnect(long maxBytes) {
    SubscriptionLog.overflowed(id, maxBytes);
    return terminate(CloseReason.OVERFLOW);
  }

  private SubscriptionAction scheduleIfIdle() {
    if (phase == CONNECTING || phase == CLOSED) {
      return NONE;
    }
    return writes.schedule() ? SCHEDULE : NONE;
  }

  /** Moves to CLOSED; returns FINISH if this call did, NONE if it was already closed. */
  private SubscriptionAction terminate(CloseReason reason) {
    assert Thread.holdsLock(lock);
    if (phase == CLOSED) {
      return NONE;
    }
    phase = CLOSED;
    closeReason = reason;
    queue.clear();
    held.clear();
    return FINISH;
  }
}
