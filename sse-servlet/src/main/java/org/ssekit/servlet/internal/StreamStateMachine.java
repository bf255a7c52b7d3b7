package org.ssekit.servlet.internal;

import java.time.Duration;
import org.ssekit.ClientGoneException;
import org.ssekit.Subscription;
import org.ssekit.WriteCallback;

/**
 * Where one servlet stream is, and who acts next: which thread drives the write in flight (the
 * <em>driver</em>), and which thread completes the exchange, exactly once. Every method is one
 * transition, decided under {@link #lock}; it returns what the caller must do, and the caller does
 * it after the lock is released (container I/O, {@code AsyncContext.complete()}, the write
 * callback, the subscription). Nothing foreign is ever called under the lock.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class StreamStateMachine {
  /** Where the stream is; every transition happens under {@link #lock}. */
  private enum State {
    /** Open; no write in flight. {@link #startWrite} moves to {@link #WAITING}. */
    IDLE,
    /**
     * Open; a write in flight that no thread drives: {@link #startWrite} is about to start it, or
     * the container owes an {@code onWritePossible} because {@code isReady()} said false. {@link
     * #startDriving} moves to {@link #DRIVING}.
     */
    WAITING,
    /**
     * Open; {@link #driver} hands the write to the container, outside the lock. It moves to {@link
     * #IDLE} when the write is done or failed, to {@link #WAITING} when the container is busy.
     */
    DRIVING,
    /** Ended while another thread drives: it completes the exchange after its container call. */
    ENDING,
    /** Ended: {@link #completer} is completing the exchange ({@link #completed} ends that). */
    COMPLETING,
    /** Ended: the exchange is completed. */
    COMPLETED
  }

  /** What a driver does after a step that did not finish the write. */
  enum Next {
    /** Go on driving: the container took the step and the stream is open. */
    DRIVE_ON,
    /** Stop: the write is parked until {@code onWritePossible}, or somebody else ends it. */
    STOP,
    /** Stop and complete the exchange: the stream ended while this thread drove. */
    COMPLETE
  }

  /** What {@link #close} leaves to its caller. */
  enum Closing {
    /** Nothing: the stream had ended, or another thread drives and completes it. */
    NOTHING,
    /** Answer the refusal (the stream never wrote): see {@code ServletTransport.answer}. */
    ANSWER_REFUSAL,
    /** Complete the exchange. */
    COMPLETE
  }

  /**
   * What a driver does once its write is over: complete {@code callback} (or null: it went with the
   * end), and first complete the exchange if {@code completeExchange}.
   */
  record Finished(WriteCallback callback, boolean completeExchange) {}

  /**
   * What the container's report of the end leaves to its caller: complete the exchange if {@code
   * completeExchange}; then fail {@code callback} if not null, else abort {@code subscription} if
   * not null.
   */
  record Gone(boolean completeExchange, WriteCallback callback, Subscription subscription) {}

  private static final Gone ALREADY_ENDED = new Gone(false, null, null);

  /** How long a container error callback waits for another thread's {@code complete()}. */
  private static final Duration COMPLETION_WAIT = Duration.ofSeconds(1);

  private final Object lock = new Object();
  private final ContainerWrite write;

  // @GuardedBy("lock")
  private State state = State.IDLE;
  private Thread driver;
  private Thread completer;
  private WriteCallback callback;
  private boolean wroteOnce;
  private Throwable goneBeforeBound;
  private Subscription subscription;

  StreamStateMachine(ContainerWrite write) {
    this.write = write;
  }

  /**
   * Records the stream's subscription once {@code subscribe} returned.
   *
   * @return the container's report of the end that came before, to abort it with; or null
   */
  Throwable bind(Subscription bound) {
    synchronized (lock) {
      subscription = bound;
      return goneBeforeBound;
    }
  }

  /**
   * Starts a write of {@code bytes}, to be driven next by the caller.
   *
   * @return false if the stream has ended (the caller fails {@code done})
   */
  boolean startWrite(byte[] bytes, WriteCallback done) {
    synchronized (lock) {
      if (isEnded()) {
        return false;
      }
      assert state == State.IDLE : "write while a write is in flight: " + state;
      state = State.WAITING;
      write.load(bytes);
      callback = done;
      wroteOnce = true;
      return true;
    }
  }

  /**
   * Makes the calling thread the driver of the write in flight, if nobody drives it.
   *
   * @return false if there is nothing to drive (an initial or spurious {@code onWritePossible}), or
   *     another thread drove it meanwhile
   */
  boolean startDriving() {
    synchronized (lock) {
      awaitDriverOutsideContainer();
      if (state != State.WAITING) {
        return false;
      }
      state = State.DRIVING;
      driver = Thread.currentThread();
      return true;
    }
  }

  /** After a driver's step that did not finish the write: see {@link Next}. */
  Next afterStep(ContainerWrite.Step step) {
    synchronized (lock) {
      Next next = Next.STOP;
      switch (state) {
        case DRIVING:
          if (step == ContainerWrite.Step.PROGRESSED) {
            return Next.DRIVE_ON;
          }
          state = State.WAITING;
          break;
        case ENDING:
          beginCompleting();
          next = Next.COMPLETE;
          break;
        default:
          break; // ended by this thread from inside its own container call, which completes it
      }
      driver = null;
      lock.notifyAll();
      return next;
    }
  }

  /** Ends the driver's write, done or failed: see {@link Finished}. */
  Finished finishWrite() {
    synchronized (lock) {
      driver = null;
      lock.notifyAll();
      if (state == State.DRIVING) {
        state = State.IDLE;
        WriteCallback done = callback;
        callback = null;
        return new Finished(done, false);
      }
      if (state == State.ENDING) {
        beginCompleting(); // the callback went with the end
        return new Finished(null, true);
      }
      return new Finished(null, false);
    }
  }

  /** The hub closes the stream: see {@link Closing}. */
  Closing close() {
    synchronized (lock) {
      if (isEnded()) {
        return Closing.NOTHING;
      }
      if (!wroteOnce) {
        return Closing.ANSWER_REFUSAL; // nobody drives: it stays IDLE until the refusal is answered
      }
      return end() ? Closing.COMPLETE : Closing.NOTHING;
    }
  }

  /** Returns true if a refusal may still be answered: the stream is open and never wrote. */
  boolean mayAnswer() {
    synchronized (lock) {
      return state == State.IDLE && !wroteOnce;
    }
  }

  /**
   * Ends the stream of an answered refusal.
   *
   * @return true if the caller completes the exchange
   */
  boolean endAnswered() {
    synchronized (lock) {
      return !isEnded() && end();
    }
  }

  /**
   * The container reports that the exchange is over, perhaps from inside the driver's own container
   * call, on its thread.
   *
   * @param awaitCompletion true for a report that the container follows with its own {@code
   *     complete()} unless a listener completed the exchange ({@code AsyncListener.onError} and
   *     {@code onTimeout}, {@code WriteListener.onError}): then, if another thread is completing
   *     the exchange, the report returns only once that thread's {@code complete()} has (see {@link
   *     #awaitCompletionElsewhere})
   * @return what the caller does; nothing if the stream had ended already
   */
  Gone gone(ClientGoneException cause, boolean awaitCompletion) {
    synchronized (lock) {
      WriteCallback pendingCallback = callback;
      Subscription bound = subscription;
      if (bound == null && goneBeforeBound == null) {
        goneBeforeBound = cause;
      }
      awaitDriverOutsideContainer();
      if (isEnded()) {
        // We ended the exchange ourselves; the container's confirmation is not news.
        callback = null;
        if (awaitCompletion) {
          awaitCompletionElsewhere();
        }
        return ALREADY_ENDED;
      }
      return new Gone(end(), pendingCallback, bound);
    }
  }

  /** The completer's {@code AsyncContext.complete()} has returned (or thrown). */
  void completed() {
    synchronized (lock) {
      if (state == State.COMPLETING && completer == Thread.currentThread()) {
        state = State.COMPLETED;
        completer = null;
        lock.notifyAll();
      }
    }
  }

  private boolean isEnded() {
    assert Thread.holdsLock(lock);
    return state == State.ENDING || state == State.COMPLETING || state == State.COMPLETED;
  }

  /**
   * Moves an open stream to its end: to {@link State#ENDING} if another thread drives (it completes
   * the exchange), else to {@link State#COMPLETING}, the caller completing it.
   *
   * @return true if the caller completes the exchange itself
   */
  private boolean end() {
    assert Thread.holdsLock(lock);
    callback = null;
    if (state == State.DRIVING && driver != Thread.currentThread()) {
      state = State.ENDING;
      return false;
    }
    write.drop(); // nobody drives (or the driver is this thread, inside its container call)
    beginCompleting();
    return true;
  }

  private void beginCompleting() {
    assert Thread.holdsLock(lock);
    state = State.COMPLETING;
    completer = Thread.currentThread();
  }

  /**
   * Under the lock: a container error (or timeout) callback that finds the exchange being completed
   * by another thread (the driver after its call, or the thread that ended the stream) waits until
   * that thread's {@code AsyncContext.complete()} has returned, at most {@link #COMPLETION_WAIT}.
   *
   * <p>Why: after its listeners' {@code onError} returned, Tomcat (10.1 and 11, {@code
   * AsyncContextImpl.setErrorState}) checks whether a listener completed the exchange and, if none
   * did, completes it itself; the check and its {@code complete()} are two steps. It refuses an
   * application's {@code complete()} that begins after {@code onError} returned, but one that began
   * before and lands between the two steps makes Tomcat's own fail: {@code SEVERE CoyoteAdapter ...
   * Calling [asyncComplete()] is not valid for a request with Async state [COMPLETING]}, for an
   * ordinary disconnect. Holding {@code onError} until our {@code complete()} returned puts it
   * before the check. Letting the container complete instead is not enough: our thread may have
   * begun {@code complete()} before {@code onError} came, and it cannot be called back.
   *
   * <p>No deadlock: {@code complete()} takes none of what these callbacks hold. Tomcat's takes the
   * {@code AsyncStateMachine} monitor and hands the rest to an executor, and it calls {@code
   * onError} and {@code onTimeout} without that monitor (only {@code onComplete}, which does not
   * wait here, runs under it); Jetty 12 (ee10, ee11) calls the listeners outside its {@code
   * ServletChannelState} lock, which its {@code complete()} takes briefly, and while a callback
   * runs its channel is handling, so {@code complete()} does not run the channel on the caller's
   * thread. The bound is a guard against a container that does otherwise: a callback then goes on
   * late rather than never.
   */
  private void awaitCompletionElsewhere() {
    assert Thread.holdsLock(lock);
    long deadline = System.nanoTime() + COMPLETION_WAIT.toNanos();
    boolean interrupted = false;
    while (isCompletedElsewhere()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        lock.wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Under the lock: true if another thread has yet to return from completing the exchange. */
  private boolean isCompletedElsewhere() {
    assert Thread.holdsLock(lock);
    Thread current = Thread.currentThread();
    return (state == State.ENDING && driver != current)
        || (state == State.COMPLETING && completer != current);
  }

  /**
   * A container callback waits while another thread is inside a container call for this exchange,
   * for the container must not go on with it (dispatch, complete, recycle) while we write to it:
   * Tomcat answers that race with broken responses and 500s. The wait releases the lock and is
   * short (the call does not block); a driver reporting its own error does not wait.
   */
  private void awaitDriverOutsideContainer() {
    assert Thread.holdsLock(lock);
    boolean interrupted = false;
    while (state == State.DRIVING && driver != Thread.currentThread()) {
      try {
        lock.wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return state.name();
    }
  }
}
