package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.EventStreamEncoder;
import org.ssekit.LoggedEvent;
import org.ssekit.OverflowPolicy;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.UnknownIdPolicy;
import org.ssekit.WriteCallback;

/**
 * One subscriber: its bounded outbound queue, its write loop and its lifecycle.
 *
 * <p>The write loop keeps at most one {@link SseTransport#write} in flight and hands the transport
 * every chunk queued since the last write, so a busy subscriber gets several events per write. A
 * write that completes before {@code write} returns makes the loop go round again rather than
 * recurse. Decisions are taken under {@link #lock}; the transport and the listener are called only
 * after it is released.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RealSubscription implements Subscription, WriteCallback {
  private static final System.Logger LOG = System.getLogger(RealSubscription.class.getName());
  private static final AtomicLong IDS = new AtomicLong();
  private static final byte[] NOTHING = new byte[0];
  static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GAP_OVERFLOW =
      EventStreamEncoder.encode(
          ServerSentEvent.builder().event(SseHub.GAP_EVENT_TYPE).data("overflow").build());
  private static final byte[] GAP_UNKNOWN_ID =
      EventStreamEncoder.encode(
          ServerSentEvent.builder()
              .event(SseHub.GAP_EVENT_TYPE)
              .data("unknown-last-event-id")
              .build());

  /** Internal phases; {@code OPENING} is reported as {@link State#OPEN}. */
  private enum Phase {
    /** Waiting for the log's replay; live events are held back. */
    CONNECTING,
    /** Replay queued, the listener's onOpen running; live events still held back. */
    OPENING,
    /** Live. */
    OPEN,
    /** Draining what is queued, then closing. */
    CLOSING,
    /** Ended; terminal actions done or under way. */
    CLOSED
  }

  /** What the caller must do after leaving the lock. */
  private enum Action {
    NONE,
    SCHEDULE,
    FINISH
  }

  private final RealSseHub hub;
  private final HubTopic topic;
  private final String id;
  private final SseTransport transport;
  private final SseListener listener;
  private final Object lock = new Object();

  // @GuardedBy("lock") unless noted
  private Phase phase = Phase.CONNECTING;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>(4);
  private volatile long queuedBytes; // written under lock; read without it for stats
  private List<LoggedEvent> held;
  private long heldBytes;
  // The newest held event dropped under DROP_OLDEST, or null: a gap only if the replay does not
  // cover it.
  private LoggedEvent heldDroppedThrough;
  // The replay is bounded by the log's retention, not by the queue bound: until it has been handed
  // to
  // the transport, live events may queue this much on top of the bound.
  private long replayAllowanceBytes;
  private long inFlightBytes;
  private boolean gapPending;
  private boolean scheduled;
  private boolean writing;
  private boolean inWrite;
  private boolean completedInWrite;
  private long progressNanos = System.nanoTime();
  private CloseReason closeReason;
  private boolean transportClosePending;
  private boolean callingOnOpen;
  private boolean onClosePending;
  // Confined to the write loop: the thread that set writing=true owns it until completion.
  private final ArrayList<byte[]> batch = new ArrayList<>();
  // The next subscription in the hub's ReadyQueue; guarded by that queue's lock.
  RealSubscription nextReady;

  RealSubscription(RealSseHub hub, HubTopic topic, SseTransport transport, SseListener listener) {
    this.hub = hub;
    this.topic = topic;
    this.id = "sse-" + IDS.incrementAndGet();
    this.transport = transport;
    this.listener = listener;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String topic() {
    return topic.name;
  }

  @Override
  public State state() {
    synchronized (lock) {
      switch (phase) {
        case CONNECTING:
          return State.CONNECTING;
        case OPENING:
        case OPEN:
          return State.OPEN;
        case CLOSING:
          return State.CLOSING;
        default:
          return State.CLOSED;
      }
    }
  }

  @Override
  public long queuedBytes() {
    return queuedBytes;
  }

  @Override
  public boolean offer(ServerSentEvent event) {
    Objects.requireNonNull(event, "event");
    byte[] bytes = EventStreamEncoder.encode(event);
    Action action;
    synchronized (lock) {
      if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
        return false;
      }
      action = enqueue(bytes);
    }
    act(action);
    return action != Action.FINISH;
  }

  /**
   * Offers a live event from the topic's fan-out; if that makes this subscription ready to write,
   * adds it to {@code ready}. Never calls the transport or the listener.
   */
  boolean offerLive(LoggedEvent event, ReadyQueue.Batch ready) {
    Action action;
    synchronized (lock) {
      switch (phase) {
        case CONNECTING:
        case OPENING:
          action = hold(event);
          break;
        case OPEN:
          action = enqueue(event.encoded());
          break;
        default:
          return false;
      }
    }
    if (action == Action.FINISH) {
      hub.finishLater(this);
      return false;
    }
    if (action == Action.SCHEDULE) {
      ready.add(this);
    }
    return true;
  }

  /**
   * Queues a keep-alive if the subscriber is idle, or ends it if it stalled. Called by the sweeper.
   */
  void sweep(long now, long keepAliveNanos, long stallNanos) {
    Action action = Action.NONE;
    boolean stalled = false;
    long stuckBytes = 0;
    synchronized (lock) {
      if (phase != Phase.OPEN && phase != Phase.CLOSING) {
        return;
      }
      boolean busy = writing || !queue.isEmpty();
      if (busy && now - progressNanos >= stallNanos) {
        stuckBytes = queuedBytes + (writing ? inFlightBytes : 0);
        action = terminate(CloseReason.STALLED);
        stalled = action == Action.FINISH;
      } else if (!busy && phase == Phase.OPEN && now - progressNanos >= keepAliveNanos) {
        hub.stats.keepAlivesSent.increment();
        action = enqueue(KEEP_ALIVE);
      }
    }
    if (stalled) {
      hub.stats.stallDisconnects.increment();
      long stuck = stuckBytes;
      LOG.log(
          Level.WARNING,
          () ->
              id
                  + " stalled: nothing written for "
                  + (stallNanos / 1_000_000)
                  + " ms with "
                  + stuck
                  + " bytes unwritten; disconnecting");
    }
    act(action);
  }

  /** Continues with what the log knows about the client's last event id. */
  void start(Replay replay, Throwable failure, UnknownIdPolicy policy, byte[] initial) {
    Action action;
    // The newest event the replay sent, or null: held live events up to it are duplicates. (Not the
    // log's head: with no or an unknown Last-Event-ID nothing up to the head is sent, and a live
    // event
    // that came after the subscriber registered but before the lookup would be lost.)
    String lastReplayedId = null;
    synchronized (lock) {
      if (phase != Phase.CONNECTING) {
        return;
      }
      if (failure != null || replay.isTopicClosed()) {
        action = terminate(failure != null ? CloseReason.ERROR : CloseReason.TOPIC_CLOSED);
      } else {
        // Events offered while the log looked up the replay are queued already, but the stream must
        // start with the first write (headers, initial retry) and the replay: put those in front.
        List<byte[]> offered = queue.isEmpty() ? List.of() : new ArrayList<>(queue);
        queue.clear();
        queuedBytes = 0;
        queueRaw(initial != null ? initial : NOTHING);
        List<LoggedEvent> replayed = List.of();
        if (replay.isKnown()) {
          replayed = replay.events();
        } else if (policy != UnknownIdPolicy.LIVE) {
          queueRaw(GAP_UNKNOWN_ID);
          if (policy == UnknownIdPolicy.NOTIFY_THEN_RETAINED) {
            replayed = replay.events();
          }
        }
        for (LoggedEvent event : replayed) {
          queueRaw(event.encoded());
        }
        if (!replayed.isEmpty()) {
          lastReplayedId = replayed.get(replayed.size() - 1).id();
        }
        replayAllowanceBytes = queuedBytes;
        for (byte[] bytes : offered) {
          queueRaw(bytes);
        }
        phase = Phase.OPENING;
        callingOnOpen = true;
        action = Action.NONE;
      }
    }
    if (failure != null) {
      LOG.log(Level.WARNING, id + " could not look up its replay in the log; closing", failure);
    }
    if (action != Action.NONE) {
      act(action);
      return;
    }
    LOG.log(Level.DEBUG, () -> id + " open on topic " + topic.name);
    boolean listenerFailed = false;
    try {
      listener.onOpen(this);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " listener threw from onOpen; closing this stream", e);
      listenerFailed = true;
    }
    String coveredId = lastReplayedId;
    boolean notifyClosed;
    CloseReason reason;
    synchronized (lock) {
      callingOnOpen = false;
      notifyClosed = onClosePending;
      onClosePending = false;
      reason = closeReason;
      if (listenerFailed && phase != Phase.CLOSED) {
        action = terminate(CloseReason.ERROR);
      } else if (phase == Phase.OPENING) {
        List<LoggedEvent> live = held;
        held = null;
        heldBytes = 0;
        if (heldDroppedThrough != null
            && (coveredId == null || hub.log().compare(heldDroppedThrough.id(), coveredId) > 0)) {
          queueRaw(GAP_OVERFLOW); // between what the replay covered and the newest held events
        }
        heldDroppedThrough = null;
        if (live != null) {
          for (LoggedEvent event : live) {
            if (coveredId == null || hub.log().compare(event.id(), coveredId) > 0) {
              queueRaw(event.encoded());
            }
          }
        }
        phase = Phase.OPEN;
        action = scheduleIfIdle();
      } else {
        action = scheduleIfIdle();
      }
    }
    if (notifyClosed) {
      // The subscription ended while onOpen ran; onClose was held back so that the calls never
      // overlap.
      notifyClosed(reason);
    }
    act(action);
  }

  @Override
  public void close() {
    closeGracefully(CloseReason.UNSUBSCRIBED, null);
  }

  /**
   * Ends the stream after what is queued (plus {@code last}, if not null) is written; before
   * opening, ends it at once.
   *
   * @return true if this call started the ending
   */
  boolean closeGracefully(CloseReason reason, byte[] last) {
    Action action;
    synchronized (lock) {
      if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
        return false;
      }
      if (phase == Phase.CONNECTING) {
        action = terminate(reason);
      } else {
        if (last != null) {
          queueRaw(last);
        }
        phase = Phase.CLOSING;
        closeReason = reason;
        action = scheduleIfIdle();
      }
    }
    act(action);
    return true;
  }

  @Override
  public void abort(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    // As documented: transports map every disconnect to ClientGoneException, an ordinary end; any
    // other
    // cause (another IOException included) is a real failure.
    CloseReason reason =
        cause instanceof ClientGoneException ? CloseReason.CLIENT_GONE : CloseReason.ERROR;
    Action action;
    synchronized (lock) {
      action = terminate(reason);
    }
    if (action == Action.FINISH) {
      if (reason == CloseReason.CLIENT_GONE) {
        LOG.log(Level.DEBUG, () -> id + " client gone: " + cause);
      } else {
        LOG.log(Level.WARNING, id + " failed; closing this stream", cause);
      }
    }
    act(action);
  }

  /** Ends the stream at once; used when the hub stops waiting for streams to drain. */
  void terminateNow(CloseReason reason) {
    Action action;
    synchronized (lock) {
      action = terminate(reason);
    }
    act(action);
  }

  @Override
  public void succeeded() {
    boolean continueLoop;
    synchronized (lock) {
      progressNanos = System.nanoTime();
      if (inWrite) {
        completedInWrite = true;
        return;
      }
      writing = false;
      batch.clear();
      continueLoop = phase != Phase.CLOSED;
    }
    if (continueLoop) {
      writeLoop(false);
    }
  }

  @Override
  public void failed(Throwable cause) {
    abort(cause == null ? new ClientGoneException("write failed", null) : cause);
  }

  /** Runs the write loop for the hub's ready queue, which has just taken this subscription off. */
  void flush() {
    writeLoop(true);
  }

  /**
   * The write loop. Runs on a delivery thread ({@code fromReadyQueue}), or on the thread that
   * completed the previous write. Only the former may clear {@link #scheduled}: a completion that
   * cleared it while this subscription still waited in the ready queue would let it be queued
   * twice.
   */
  private void writeLoop(boolean fromReadyQueue) {
    boolean clearScheduled = fromReadyQueue;
    while (true) {
      Action action = Action.NONE;
      synchronized (lock) {
        if (clearScheduled) {
          // Once per run: an event queued between two writes of this run may have queued it again.
          scheduled = false;
          clearScheduled = false;
        }
        if (writing || phase == Phase.CLOSED || phase == Phase.CONNECTING) {
          return;
        }
        if (queue.isEmpty() && !gapPending) {
          if (phase == Phase.CLOSING) {
            action = terminate(closeReason);
          } else {
            return;
          }
        } else {
          if (gapPending) {
            batch.add(GAP_OVERFLOW);
            gapPending = false;
          }
          // Polled one by one: addAll would copy the queue into a fresh array for every write.
          for (byte[] chunk = queue.pollFirst(); chunk != null; chunk = queue.pollFirst()) {
            batch.add(chunk);
          }
          inFlightBytes = queuedBytes;
          queuedBytes = 0;
          replayAllowanceBytes = 0;
          writing = true;
          inWrite = true;
          completedInWrite = false;
        }
      }
      if (action != Action.NONE) {
        act(action);
        return;
      }
      try {
        transport.write(batch, this);
      } catch (RuntimeException | Error e) {
        boolean closeTransport;
        synchronized (lock) {
          inWrite = false;
          // The transport may have failed the callback before throwing, or another thread ended the
          // stream during the call: finish() then left closing the transport to this loop.
          closeTransport = transportClosePending;
          transportClosePending = false;
        }
        abort(e);
        if (closeTransport) {
          closeTransport();
        }
        return;
      }
      boolean closeTransport;
      synchronized (lock) {
        inWrite = false;
        closeTransport = transportClosePending;
        transportClosePending = false;
        if (!closeTransport) {
          if (!completedInWrite) {
            return; // the transport completes the write later, and the loop continues from there
          }
          writing = false;
          batch.clear();
        }
      }
      if (closeTransport) {
        closeTransport();
        return;
      }
    }
  }

  /** Runs the terminal actions of a subscription that reached {@link Phase#CLOSED}. */
  void finish() {
    CloseReason reason;
    boolean closeTransport;
    boolean notify;
    synchronized (lock) {
      reason = closeReason;
      closeTransport = !inWrite;
      transportClosePending = inWrite;
      notify = !callingOnOpen;
      onClosePending = callingOnOpen;
    }
    hub.removed(this, reason);
    if (closeTransport) {
      closeTransport();
    }
    if (notify) {
      notifyClosed(reason);
    }
  }

  @Override
  public String toString() {
    return "RealSubscription@"
        + id
        + "["
        + phase
        + ", topic="
        + topic.name
        + ", queuedBytes="
        + queuedBytes
        + "]";
  }

  // ---- helpers; each runs under the lock ----

  private Action enqueue(byte[] bytes) {
    assert Thread.holdsLock(lock);
    long max = hub.maxQueuedBytes + replayAllowanceBytes;
    if (!queue.isEmpty() && queuedBytes + bytes.length > max) {
      if (hub.overflowPolicy == OverflowPolicy.DISCONNECT) {
        return overflowDisconnect(max);
      }
      while (!queue.isEmpty() && queuedBytes + bytes.length > max) {
        queuedBytes -= queue.pollFirst().length;
        hub.stats.overflowDrops.increment();
      }
      gapPending = true;
    }
    queueRaw(bytes);
    return scheduleIfIdle();
  }

  private void queueRaw(byte[] bytes) {
    if (queue.isEmpty() && !writing) {
      progressNanos = System.nanoTime();
    }
    queue.addLast(bytes);
    queuedBytes += bytes.length;
  }

  /**
   * Holds a live event back until the replay is queued. Held events count against the same bound as
   * the queue, so a slow log lookup cannot make them grow without limit.
   */
  private Action hold(LoggedEvent event) {
    int size = event.encoded().length;
    if (held == null) {
      held = new ArrayList<>();
    } else if (!held.isEmpty() && heldBytes + size > hub.maxQueuedBytes) {
      if (hub.overflowPolicy == OverflowPolicy.DISCONNECT) {
        return overflowDisconnect(hub.maxQueuedBytes);
      }
      while (!held.isEmpty() && heldBytes + size > hub.maxQueuedBytes) {
        heldDroppedThrough = held.remove(0);
        heldBytes -= heldDroppedThrough.encoded().length;
        hub.stats.overflowDrops.increment();
      }
    }
    held.add(event);
    heldBytes += size;
    return Action.NONE;
  }

  private Action overflowDisconnect(long maxBytes) {
    hub.stats.overflowDisconnects.increment();
    LOG.log(
        Level.WARNING, () -> id + " queue over " + maxBytes + " bytes; disconnecting (overflow)");
    return terminate(CloseReason.OVERFLOW);
  }

  private Action scheduleIfIdle() {
    if (writing || scheduled || phase == Phase.CONNECTING || phase == Phase.CLOSED) {
      return Action.NONE;
    }
    scheduled = true;
    return Action.SCHEDULE;
  }

  /** Moves to CLOSED; returns FINISH if this call did, NONE if it was already closed. */
  private Action terminate(CloseReason reason) {
    assert Thread.holdsLock(lock);
    if (phase == Phase.CLOSED) {
      return Action.NONE;
    }
    phase = Phase.CLOSED;
    closeReason = reason;
    queue.clear();
    queuedBytes = 0;
    held = null;
    heldBytes = 0;
    heldDroppedThrough = null;
    return Action.FINISH;
  }

  // ---- helpers; each runs without the lock ----

  private void act(Action action) {
    if (action == Action.SCHEDULE) {
      hub.schedule(this);
    } else if (action == Action.FINISH) {
      finish();
    }
  }

  private void closeTransport() {
    CloseReason reason;
    synchronized (lock) {
      reason = closeReason;
    }
    try {
      transport.close(reason);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " transport threw from close", e);
    }
  }

  private void notifyClosed(CloseReason reason) {
    LOG.log(Level.DEBUG, () -> id + " closed: " + reason);
    try {
      listener.onClose(this, reason);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " listener threw from onClose", e);
    }
  }
}
