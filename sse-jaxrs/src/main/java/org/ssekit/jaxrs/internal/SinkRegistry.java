package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.sse.SseEventSink;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * What is known of each {@link SseEventSink} in flight: registered with a broadcaster before Jersey
 * wrote its response (the stream is taken over when Jersey does), written by Jersey already (a
 * later registration writes through the sink), or attached to a topic. Sinks are held weakly and by
 * identity (Jersey's sinks inherit {@code GenericType.equals}, under which all of them are equal).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SinkRegistry {
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final Map<Key, State> states = new HashMap<>();
  private final ReferenceQueue<SseEventSink> collected = new ReferenceQueue<>();

  /** The state of one sink. */
  private static final class State {
    /** The registration waiting for Jersey to write the sink, or null. */
    SinkTarget pending;

    /** True once Jersey wrote the sink's response (it went through the stream filter). */
    boolean written;

    /** The client's last event id, recorded when Jersey wrote the sink. */
    String lastEventId;

    /** True once the sink is a stream of a topic. */
    boolean attached;
  }

  /** What a registration must do. */
  enum Registration {
    /** Jersey has not written the sink yet: the stream filter takes it over. */
    PENDING,
    /** Jersey wrote the sink already: subscribe now, writing through {@code SseEventSink.send}. */
    SUBSCRIBE_NOW
  }

  /**
   * Records that {@code target} wants its sink.
   *
   * @throws IllegalStateException if the sink is already registered or streams a topic
   */
  Registration register(SinkTarget target) {
    synchronized (lock) {
      expunge();
      Key key = new Key(target.sink, collected);
      State state = states.get(key);
      if (state == null) {
        state = new State();
        states.put(key, state);
      }
      if (state.pending != null || state.attached) {
        throw new IllegalStateException(
            "sink already registered: an SseEventSink can stream one topic, once: "
                + (state.pending != null ? state.pending : "an @SseTopic stream"));
      }
      if (state.written) {
        state.attached = true;
        target.lastEventId(state.lastEventId);
        return Registration.SUBSCRIBE_NOW;
      }
      state.pending = target;
      return Registration.PENDING;
    }
  }

  /**
   * Called when Jersey writes {@code sink}'s response: returns the pending registration (now
   * attached), or null. When {@code annotated}, a sink without registration is attached to the
   * method's topic.
   */
  SinkTarget written(SseEventSink sink, String lastEventId, boolean annotated) {
    synchronized (lock) {
      expunge();
      Key key = new Key(sink, collected);
      State state = states.get(key);
      if (state == null) {
        state = new State();
        states.put(key, state);
      }
      state.written = true;
      state.lastEventId = lastEventId;
      SinkTarget pending = state.pending;
      state.pending = null;
      if (pending != null || annotated) {
        state.attached = true;
      }
      return pending;
    }
  }

  /** Returns the number of sinks tracked (for tests). */
  int size() {
    synchronized (lock) {
      expunge();
      return states.size();
    }
  }

  private void expunge() {
    assert Thread.holdsLock(lock);
    for (Reference<? extends SseEventSink> gone; (gone = collected.poll()) != null; ) {
      states.remove(gone);
    }
  }

  /** A weak reference compared by the identity of its referent. */
  private static final class Key extends WeakReference<SseEventSink> {
    private final int hash;

    Key(SseEventSink sink, ReferenceQueue<SseEventSink> queue) {
      super(sink, queue);
      this.hash = System.identityHashCode(sink);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) o).get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
