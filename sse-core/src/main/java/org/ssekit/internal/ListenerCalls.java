package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import org.ssekit.CloseReason;
import org.ssekit.SseListener;
import org.ssekit.Subscription;

/**
 * Calls one subscription's listener as {@link SseListener} promises: {@code onOpen} at most once,
 * {@code onClose} exactly once and last, the two never overlapping. A subscription that ends while
 * {@code onOpen} runs owes {@code onClose}, which the thread returning from {@code onOpen} then
 * calls. What the listener throws is caught and logged at WARNING.
 *
 * <p>The calls run on the hub's callback threads ({@link HubExecutors#callbacks()}), so that a
 * listener that blocks holds up its own subscription only, not the thread that opened or ended it
 * (the log's I/O thread, a delivery thread, the scheduler). A subscription without a listener
 * ({@link SseListener#NONE}) skips the hand-over.
 *
 * <p><b>Thread safety:</b> the state is guarded by the subscription's lock: the methods that say
 * "under the lock" expect it held; the others call the listener and must be called without it.
 */
final class ListenerCalls {
  private static final System.Logger LOG = System.getLogger(ListenerCalls.class.getName());

  /** Where the listener's {@code onOpen} stands. */
  private enum OnOpen {
    /** Not called (yet, or ever). */
    NOT_CALLED,
    /** Running. */
    RUNNING,
    /** Running, and the subscription ended meanwhile: {@code onClose} is owed once it returns. */
    RUNNING_CLOSE_OWED,
    /** Returned, or threw. */
    RETURNED
  }

  private final SseListener listener;
  private final String id;
  private final Object lock;
  private final Executor callbacks;
  // @GuardedBy("lock")
  private OnOpen onOpen = OnOpen.NOT_CALLED;
  // @GuardedBy("lock"): why the subscription ended while onOpen ran, or null
  private CloseReason owedReason;

  /**
   * Creates the calls to {@code listener}, made on {@code callbacks}; {@code lock} is the
   * subscription's.
   */
  ListenerCalls(SseListener listener, String id, Object lock, Executor callbacks) {
    this.listener = listener;
    this.id = id;
    this.lock = lock;
    this.callbacks = callbacks;
  }

  /** Under the lock: {@link #open} comes next. */
  void openStarting() {
    assert Thread.holdsLock(lock);
    onOpen = OnOpen.RUNNING;
  }

  /**
   * Without the lock: on a callback thread, calls {@code onOpen}, then the {@code onClose} owed if
   * the subscription ended meanwhile, then {@code opened}, or {@code threw} if {@code onOpen} threw
   * (which ends the subscription with {@link CloseReason#ERROR}).
   */
  void open(Subscription subscription, Runnable opened, Runnable threw) {
    call(() -> (callOpen(subscription) ? opened : threw).run());
  }

  private boolean callOpen(Subscription subscription) {
    LOG.log(Level.DEBUG, () -> id + " open on topic " + subscription.topic());
    boolean opened = true;
    try {
      listener.onOpen(subscription);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " listener threw from onOpen; closing this stream", e);
      opened = false;
    }
    CloseReason owed;
    synchronized (lock) {
      owed = owedReason;
      onOpen = OnOpen.RETURNED;
    }
    if (owed != null) {
      callClose(subscription, owed);
    }
    return opened;
  }

  /**
   * Under the lock: the subscription ended for {@code reason}.
   *
   * @return true if the caller must now call {@link #close}; false if {@code onOpen} is running,
   *     which then owes it
   */
  boolean closing(CloseReason reason) {
    assert Thread.holdsLock(lock);
    if (onOpen == OnOpen.RUNNING) {
      onOpen = OnOpen.RUNNING_CLOSE_OWED;
      owedReason = reason;
      return false;
    }
    return true;
  }

  /** Without the lock: calls {@code onClose} on a callback thread. */
  void close(Subscription subscription, CloseReason reason) {
    call(() -> callClose(subscription, reason));
  }

  private void callClose(Subscription subscription, CloseReason reason) {
    LOG.log(Level.DEBUG, () -> id + " closed: " + reason);
    try {
      listener.onClose(subscription, reason);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " listener threw from onClose", e);
    }
  }

  private void call(Runnable call) {
    if (listener == SseListener.NONE) {
      call.run();
    } else {
      callbacks.execute(call);
    }
  }
}
