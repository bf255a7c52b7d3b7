package org.ssekit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.WriteCallback;
import org.ssekit.internal.StreamHttp;

/**
 * One event stream over Servlet non-blocking I/O. A write hands the container all its bytes in one
 * {@code write} call, then flushes; when {@code isReady()} says the container is busy, the write
 * goes on from {@link #onWritePossible()}. No thread ever waits on the client.
 *
 * <p><b>One writer.</b> At most one thread, the <em>driver</em>, calls the container for a write;
 * the {@link State} machine decides under {@link #lock} who, and the driver calls the container
 * outside it. A container callback ({@code onWritePossible}; the end of the exchange through {@link
 * ContainerEvents}) that comes while another thread drives waits, without our lock, until that call
 * returns: the container must not go on with the exchange while we write to it. A {@link #close}
 * meanwhile is left to the driver, which completes the exchange after its call.
 *
 * <p><b>A refusal</b> (refused by the hub, or ended before the first write) is answered per the
 * endpoint's {@link RefusalAnswer}, an unserved selection with a 400, and a body is one more write
 * of the same machine. The async context is completed once, whichever end comes first.
 *
 * <p><b>Thread safety:</b> thread-safe. Nothing foreign runs under {@link #lock}: container I/O,
 * the write callback and the subscription (and so the listener) are called after it is released.
 */
final class ServletTransport implements SseTransport, WriteListener {
  private static final System.Logger LOG = System.getLogger(ServletTransport.class.getName());

  /** Where the stream is; every transition happens under {@link #lock}. */
  private enum State {
    /** Open; no write in flight. {@link #write} moves to {@link #WAITING}. */
    IDLE,
    /**
     * Open; a write in flight that no thread drives: {@link #write} is about to start it, or the
     * container owes an {@code onWritePossible} because {@code isReady()} said false. {@link
     * #drive} moves to {@link #DRIVING}.
     */
    WAITING,
    /**
     * Open; {@link #driver} hands the write to the container, outside the lock. It moves to {@link
     * #IDLE} when the write is done or failed, to {@link #WAITING} when the container is busy.
     */
    DRIVING,
    /** Ended while another thread drives: it completes the exchange after its container call. */
    ENDING,
    /** Ended: the exchange is completed, or being completed by the thread that ended it. */
    COMPLETED
  }

  /** What a driver's step found: bytes or a flush handed over, the container busy, or done. */
  private enum Step {
    PROGRESSED,
    BLOCKED,
    DONE
  }

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final ServletOutputStream out;
  private final RefusalAnswer refusalAnswer;
  private final Duration retryAfter;
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private State state = State.IDLE;
  private Thread driver;
  private WriteCallback callback;
  private boolean wroteOnce;
  private Throwable goneBeforeBound;
  // Set by write() in IDLE and then confined to the thread that drives the write (handed over
  // through the lock with the state); dropped under the lock when nobody drives.
  private byte[] pending;
  private boolean flushPending;
  // Written once, after subscribe returned; earlier callbacks are kept in goneBeforeBound.
  private volatile Subscription subscription;

  ServletTransport(
      AsyncContext async,
      HttpServletResponse response,
      ServletOutputStream out,
      RefusalAnswer refusalAnswer,
      Duration retryAfter) {
    this.async = async;
    this.response = response;
    this.out = out;
    this.refusalAnswer = refusalAnswer;
    this.retryAfter = retryAfter;
  }

  void bind(Subscription subscription) {
    Throwable gone;
    synchronized (lock) {
      this.subscription = subscription;
      gone = goneBeforeBound;
    }
    if (gone != null) {
      subscription.abort(gone);
    }
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    byte[] bytes = StreamHttp.concat(chunks);
    boolean rejected;
    synchronized (lock) {
      rejected = state == State.ENDING || state == State.COMPLETED;
      if (!rejected) {
        assert state == State.IDLE : "write while a write is in flight: " + state;
        state = State.WAITING;
        this.pending = bytes;
        this.flushPending = true;
        this.callback = callback;
        this.wroteOnce = true;
      }
    }
    if (rejected) {
      callback.failed(new ClientGoneException("stream already completed", null));
      return;
    }
    drive();
  }

  @Override
  public void onWritePossible() {
    drive();
  }

  /** Drives the write in flight, if nobody does, as far as the container allows. */
  private void drive() {
    synchronized (lock) {
      awaitDriverOutsideContainer();
      if (state != State.WAITING) {
        return; // nothing to drive (an initial or spurious onWritePossible), or driven already
      }
      state = State.DRIVING;
      driver = Thread.currentThread();
    }
    while (true) {
      Step step;
      try {
        step = step();
      } catch (IOException | RuntimeException e) {
        IOException failure = e instanceof IOException ? (IOException) e : new IOException(e);
        finishWrite(new ClientGoneException("write failed: " + failure, failure));
        return;
      }
      if (step == Step.DONE) {
        finishWrite(null);
        return;
      }
      if (!continueDriving(step)) {
        return;
      }
    }
  }

  /** One container call of the driver, without the lock: bytes, then the flush, then done. */
  private Step step() throws IOException {
    if (!out.isReady()) {
      return Step.BLOCKED;
    }
    if (pending != null) {
      byte[] bytes = pending;
      pending = null;
      if (bytes.length > 0) {
        out.write(bytes);
      }
      return Step.PROGRESSED;
    }
    if (flushPending) {
      flushPending = false;
      out.flush();
      return Step.PROGRESSED;
    }
    return Step.DONE;
  }

  /**
   * After a step that did not finish the write: true if the driver goes on; false if it parked the
   * write, or the stream ended meanwhile (it then completes the exchange if left to it).
   */
  private boolean continueDriving(Step step) {
    boolean completeNow = false;
    synchronized (lock) {
      switch (state) {
        case DRIVING:
          if (step == Step.PROGRESSED) {
            return true;
          }
          state = State.WAITING;
          break;
        case ENDING:
          state = State.COMPLETED;
          completeNow = true;
          break;
        default:
          break; // COMPLETED: the thread that ended the stream from inside our call completed it
      }
      driver = null;
      lock.notifyAll();
    }
    if (completeNow) {
      complete();
    }
    return false;
  }

  /** Ends the driver's write: completes its callback, or the exchange if that was left to it. */
  private void finishWrite(ClientGoneException failure) {
    WriteCallback done = null;
    boolean completeNow = false;
    synchronized (lock) {
      driver = null;
      lock.notifyAll();
      if (state == State.DRIVING) {
        state = State.IDLE;
        done = callback;
        callback = null;
      } else if (state == State.ENDING) {
        state = State.COMPLETED; // the callback went with the end
        completeNow = true;
      }
    }
    if (completeNow) {
      complete();
    }
    if (done == null) {
      return;
    }
    if (failure != null) {
      done.failed(failure);
    } else {
      done.succeeded();
    }
  }

  /**
   * Under the lock: a container callback waits while another thread is inside a container call for
   * this exchange, for the container must not go on with it (dispatch, complete, recycle) while we
   * write to it: Tomcat answers that race with broken responses and 500s. The wait releases the
   * lock and is short (the call does not block); a driver reporting its own error does not wait.
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

  /**
   * Moves an open stream to its end, under the lock: to {@link State#ENDING} if another thread
   * drives (it completes the exchange), else to {@link State#COMPLETED}.
   *
   * @return true if the caller completes the exchange itself
   */
  private boolean end() {
    assert Thread.holdsLock(lock);
    callback = null;
    boolean drivenElsewhere = state == State.DRIVING && driver != Thread.currentThread();
    if (!drivenElsewhere) {
      pending = null; // nobody drives (or the driver is this thread, inside its container call)
    }
    state = drivenElsewhere ? State.ENDING : State.COMPLETED;
    return !drivenElsewhere;
  }

  @Override
  public void close(CloseReason reason) {
    boolean refused;
    synchronized (lock) {
      if (state == State.ENDING || state == State.COMPLETED) {
        return;
      }
      refused = !wroteOnce; // then nobody drives: it stays IDLE until the refusal is answered
      if (!refused && !end()) {
        return;
      }
    }
    if (refused) {
      boolean topicClosed = reason == CloseReason.TOPIC_CLOSED;
      answer(r -> StreamHeaders.answerRefusal(r, topicClosed, refusalAnswer, retryAfter));
    } else {
      complete();
    }
  }

  /** Answers a subscription the hub refused before it was admitted (see {@link #close}). */
  void refuse() {
    answer(r -> StreamHeaders.answerRefusal(r, false, refusalAnswer, retryAfter));
  }

  /** Answers a selection the hub would not serve: {@code 400} with {@code reason}, then ends. */
  void reject(String reason) {
    answer(r -> StreamHeaders.answerBadRequest(r, reason));
  }

  /** Answers before the stream's first byte: writes the head's body if it has one, completes. */
  private void answer(Function<HttpServletResponse, byte[]> head) {
    synchronized (lock) {
      if (state != State.IDLE || wroteOnce) {
        return; // the client went meanwhile, or the refusal is answered already
      }
    }
    byte[] body = response.isCommitted() ? null : head.apply(response);
    if (body == null) {
      endAndComplete();
      return;
    }
    write(List.of(body), new RefusalWritten(this));
  }

  /** Ends the exchange of an answered refusal; see {@link RefusalWritten}. */
  void endAndComplete() {
    synchronized (lock) {
      if (state == State.ENDING || state == State.COMPLETED || !end()) {
        return;
      }
    }
    complete();
  }

  private void complete() {
    try {
      async.complete();
    } catch (IllegalStateException alreadyDone) {
      // The container completed or recycled the exchange first (the client went away).
      LOG.log(Level.TRACE, "IGNORED: async context already completed", alreadyDone);
    }
  }

  @Override
  public void onError(Throwable t) {
    gone(new ClientGoneException("stream failed: " + t, t));
  }

  /**
   * The container reports that the exchange is over. It may do so from inside our own {@code write}
   * or {@code flush}, on the driver's thread: the lock is free then, and the write's callback is
   * failed here rather than by the driver.
   */
  void gone(ClientGoneException cause) {
    WriteCallback pendingCallback;
    Subscription bound;
    boolean completeNow;
    synchronized (lock) {
      pendingCallback = callback;
      bound = subscription;
      if (bound == null && goneBeforeBound == null) {
        goneBeforeBound = cause;
      }
      awaitDriverOutsideContainer();
      if (state == State.ENDING || state == State.COMPLETED) {
        // We ended the exchange ourselves; the container's confirmation is not news.
        callback = null;
        return;
      }
      completeNow = end();
    }
    if (completeNow) {
      complete();
    }
    if (pendingCallback != null) {
      pendingCallback.failed(cause);
    } else if (bound != null) {
      bound.abort(cause);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "ServletTransport@"
          + Integer.toHexString(System.identityHashCode(this))
          + "["
          + state
          + "]";
    }
  }
}
