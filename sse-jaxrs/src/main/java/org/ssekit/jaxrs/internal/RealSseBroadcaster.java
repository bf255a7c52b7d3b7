package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;

/**
 * A JAX-RS {@link SseBroadcaster} backed by one topic of a hub; see {@link
 * org.ssekit.jaxrs.SseTopics#broadcaster(String)} for what differs from the JAX-RS defaults.
 *
 * <p><b>Lifecycle:</b> open when created; {@link #close()} ends the streams of the sinks registered
 * here (not the topic, nor other subscribers of it), after which every method but {@code close}
 * throws {@link IllegalStateException}.
 *
 * <p><b>Thread safety:</b> thread-safe. Listeners are called outside {@link #lock}, once per sink,
 * from a hub thread, a container thread or the thread that ended the stream; they must not block.
 */
final class RealSseBroadcaster implements SseBroadcaster {
  private static final System.Logger LOG = System.getLogger(RealSseBroadcaster.class.getName());

  private final RealSseTopics topics;
  final String topic;
  private final Selection selection;
  private final Object lock = new Object();
  private final CopyOnWriteArrayList<Consumer<SseEventSink>> closeListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<BiConsumer<SseEventSink, Throwable>> errorListeners =
      new CopyOnWriteArrayList<>();
  private final AtomicBoolean idNoticeLogged = new AtomicBoolean();

  // @GuardedBy("lock")
  private boolean closed;
  private final Set<SinkTarget> targets = Collections.newSetFromMap(new IdentityHashMap<>());

  RealSseBroadcaster(RealSseTopics topics, String topic) {
    this.topics = topics;
    this.topic = topic;
    this.selection = Selection.topic(topic);
  }

  @Override
  public void onError(BiConsumer<SseEventSink, Throwable> onError) {
    Objects.requireNonNull(onError, "onError");
    requireOpen();
    errorListeners.add(onError);
  }

  @Override
  public void onClose(Consumer<SseEventSink> onClose) {
    Objects.requireNonNull(onClose, "onClose");
    requireOpen();
    closeListeners.add(onClose);
  }

  @Override
  public void register(SseEventSink sink) {
    Objects.requireNonNull(sink, "sink");
    SinkTarget target = new SinkTarget(sink, selection, this);
    synchronized (lock) {
      requireOpenLocked();
      targets.add(target);
    }
    try {
      topics.register(target);
    } catch (RuntimeException e) {
      synchronized (lock) {
        targets.remove(target);
      }
      throw e;
    }
  }

  @Override
  public CompletionStage<?> broadcast(OutboundSseEvent event) {
    Objects.requireNonNull(event, "event");
    requireOpen();
    if (event.getId() != null && idNoticeLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.DEBUG,
          () ->
              this
                  + ": event ids are assigned by the topic's log; ids set on"
                  + " OutboundSseEvents are ignored");
    }
    ServerSentEvent converted = EventConverter.toEvent(event, topics.providers());
    try {
      return topics.hub().publish(topic, converted);
    } catch (IllegalStateException hubClosed) {
      return CompletableFuture.failedFuture(hubClosed);
    }
  }

  /** Closes the broadcaster and ends the streams of its sinks; see {@link #close(boolean)}. */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Closes the broadcaster. With {@code cascading}, the streams of the sinks registered here end
   * (each sink's listeners are told); without, they stay subscribed to the topic and the
   * broadcaster forgets them. Closing again has no effect.
   */
  @Override
  public void close(boolean cascading) {
    List<SinkTarget> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(targets);
      if (!cascading) {
        targets.clear();
      }
    }
    if (cascading) {
      for (SinkTarget target : open) {
        target.close();
      }
    }
  }

  /** A registered sink's stream ended: exactly one listener notification. */
  void ended(SinkTarget target, CloseReason reason, Throwable cause) {
    synchronized (lock) {
      if (!targets.remove(target)) {
        return;
      }
    }
    if (reason == CloseReason.ERROR) {
      Throwable error =
          cause != null
              ? cause
              : new IOException(
                  "stream of topic " + topic + " failed; see the ssekit log for the cause");
      for (BiConsumer<SseEventSink, Throwable> listener : errorListeners) {
        try {
          listener.accept(target.sink, error);
        } catch (RuntimeException | Error e) {
          LOG.log(Level.WARNING, this + ": onError listener threw", e);
        }
      }
      return;
    }
    for (Consumer<SseEventSink> listener : closeListeners) {
      try {
        listener.accept(target.sink);
      } catch (RuntimeException | Error e) {
        LOG.log(Level.WARNING, this + ": onClose listener threw", e);
      }
    }
  }

  /** Returns the number of sinks registered and not yet ended. */
  int size() {
    synchronized (lock) {
      return targets.size();
    }
  }

  private void requireOpen() {
    synchronized (lock) {
      requireOpenLocked();
    }
  }

  private void requireOpenLocked() {
    assert Thread.holdsLock(lock);
    if (closed) {
      throw new IllegalStateException(this + " is closed: create a new broadcaster");
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "RealSseBroadcaster@"
          + Integer.toHexString(System.identityHashCode(this))
          + "["
          + (closed ? "CLOSED" : "OPEN")
          + ", topic="
          + topic
          + ", sinks="
          + targets.size()
          + "]";
    }
  }
}
