package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.SseTransport;
import org.ssekit.WriteCallback;

/**
 * The write side of one subscription: hands the transport every chunk its owner queued since the
 * last write, with at most one {@link SseTransport#write} in flight, and closes the transport
 * exactly once, never during a write call.
 *
 * <p>A state machine in the manner of Jetty's {@code IteratingCallback}: one method per transition,
 * decided under the lock, with the transport and the owner's terminal actions called only after it
 * is released. A write that completes before {@code write} returns ({@link
 * State#COMPLETED_IN_WRITE}) makes the writing thread take the next batch in a loop instead of
 * recursing, so the stack stays flat however many writes complete at once.
 *
 * <pre>
 * IDLE --schedule--> SCHEDULED --run--> WRITING or IDLE
 * WRITING --write returns--> PENDING --succeeded--> WRITING or IDLE
 * WRITING --succeeded within write--> COMPLETED_IN_WRITE --write returns--> WRITING or IDLE
 * WRITING, COMPLETED_IN_WRITE --close--> CLOSE_PENDING --write returns or throws--> CLOSED
 * IDLE, SCHEDULED, PENDING --close--> CLOSED
 * </pre>
 *
 * <p>The state is guarded by the owner's lock, so that the owner queues a chunk and decides whether
 * the loop must be scheduled in one critical section. The methods that expect that lock to be held
 * say "under the lock"; the others take it themselves and must be called without it.
 *
 * <p><b>The ready-queue invariant.</b> Only {@link #run()}, which the hub's {@link ReadyQueue}
 * calls after taking the owner off, leaves {@link State#SCHEDULED} (apart from {@link #close},
 * which is final): a write completion cannot, as no write is in flight in that state, and the
 * writing thread goes from one write to the next without passing through {@link State#IDLE}. So an
 * owner is in the ready queue at most once, which the queue asserts. (A completion that cleared a
 * "scheduled" flag while the owner still waited in the queue once let it be queued twice.)
 *
 * <p><b>Thread safety:</b> thread-safe. The batch is confined to the writing thread: the thread
 * that moved to {@link State#WRITING} until the write completes.
 */
final class WriteLoop implements WriteCallback {
  private static final System.Logger LOG = System.getLogger(WriteLoop.class.getName());

  /** What the owner has for the loop; returned by {@link Owner#fill}. */
  enum Next {
    /** Chunks were moved into the batch: write them. */
    WRITE,
    /** Nothing to write now. */
    IDLE,
    /** The owner drained and ended: run its terminal actions ({@link Owner#finish()}). */
    FINISH
  }

  /** The subscription the loop writes for. */
  interface Owner {
    /**
     * Under the lock: moves what is queued into {@code batch} ({@link Next#WRITE}); or reports that
     * there is nothing to write ({@link Next#IDLE}), or that the owner was closing, has drained and
     * has just ended ({@link Next#FINISH}).
     */
    Next fill(List<byte[]> batch);

    /**
     * Under the lock: a write completed; the stream made progress. Returns the {@linkplain
     * LatencySampling.Sample sample} of the sampled event the write carried, or null.
     */
    LatencySampling.Sample written();

    /**
     * Without the lock, by the writing thread: the batch it filled was handed to the transport,
     * whose write call returned (counted here: a delivery is counted once, when handed over).
     */
    void handedOver();

    /** Without the lock: runs the terminal actions of the owner, which has just ended. */
    void finish();

    /** Without the lock: ends the owner at once because a write failed or the transport threw. */
    void abort(Throwable cause);
  }

  /** The states of the loop; see the class documentation for the transitions. */
  private enum State {
    /** No write in flight or being prepared, and not in the ready queue. */
    IDLE(false),
    /** In the hub's ready queue, waiting for a delivery thread to {@link #run()} it. */
    SCHEDULED(false),
    /** A thread took a batch and is calling (or about to call) the transport's write. */
    WRITING(true),
    /** The write call returned without completing; its completion continues the loop. */
    PENDING(true),
    /** The write completed while its call still ran; the writing thread goes on when it returns. */
    COMPLETED_IN_WRITE(true),
    /** The owner ended while a write call ran; the writing thread closes the transport. */
    CLOSE_PENDING(true),
    /** The transport is closed, or being closed by the thread that moved here. Final. */
    CLOSED(false);

    /** A batch was taken and its completion not yet handled: what {@link #isWriting()} asks. */
    final boolean writing;

    State(boolean writing) {
      this.writing = writing;
    }
  }

  private final Owner owner;
  private final Object lock;
  private final SseTransport transport;
  private final String id;
  private final LatencySampling sampling;
  // @GuardedBy("lock")
  private State state = State.IDLE;
  // @GuardedBy("lock"): why the owner ended, for a close left to the writing thread
  private CloseReason closeReason;
  // Confined to the writing thread (see the class documentation); reused for every write.
  private final ArrayList<byte[]> batch = new ArrayList<>();

  /**
   * Creates the loop of {@code owner}; {@code id} names it in log lines; the latencies of sampled
   * events written go to {@code sampling}. The loop is its own lock, which the owner shares ({@link
   * #lock()}).
   */
  WriteLoop(Owner owner, SseTransport transport, String id, LatencySampling sampling) {
    this.owner = owner;
    // The loop itself, not a separate object: an offer takes the lock and moves the loop to
    // SCHEDULED, and the delivery thread then reads both; one object means one cache line to
    // move between cores per delivery instead of two (seen in FanOutCpuCost: a few % per delivery).
    this.lock = this;
    this.transport = transport;
    this.id = id;
    this.sampling = sampling;
  }

  /** Returns the lock that guards this loop and its owner's state: the loop itself. */
  Object lock() {
    return lock;
  }

  /**
   * Under the lock: {@link State#IDLE} to {@link State#SCHEDULED}.
   *
   * @return true if the loop was idle: the caller must add the owner to the ready queue
   */
  boolean schedule() {
    assert Thread.holdsLock(lock);
    if (state != State.IDLE) {
      return false;
    }
    state = State.SCHEDULED;
    return true;
  }

  /** Under the lock: returns true from taking a batch until its completion has been handled. */
  boolean isWriting() {
    assert Thread.holdsLock(lock);
    return state.writing; // one load, not four compares: asked on every offer to an empty queue
  }

  /**
   * Under the lock: the owner ended for {@code reason}. From {@link State#IDLE}, {@link
   * State#SCHEDULED} or {@link State#PENDING} (whose write is abandoned) to {@link State#CLOSED};
   * during a write call to {@link State#CLOSE_PENDING}.
   *
   * @return true if the caller must now close the transport with {@link #closeTransport}; false if
   *     the writing thread will when its call returns
   * @throws IllegalStateException if closed already
   */
  boolean close(CloseReason reason) {
    assert Thread.holdsLock(lock);
    switch (state) {
      case WRITING:
      case COMPLETED_IN_WRITE:
        state = State.CLOSE_PENDING;
        closeReason = reason;
        return false;
      case CLOSE_PENDING:
      case CLOSED:
        throw illegal("close");
      default:
        state = State.CLOSED;
        return true;
    }
  }

  /**
   * Runs the loop for the ready queue, which has just taken the owner off: {@link State#SCHEDULED}
   * to {@link State#WRITING} or {@link State#IDLE}. Does nothing if the owner ended meanwhile.
   *
   * @throws IllegalStateException if the loop was not scheduled
   */
  void run() {
    Next next;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      if (state != State.SCHEDULED) {
        throw illegal("run");
      }
      next = takeNext();
    }
    proceed(next);
  }

  /**
   * The write completed: within its call, {@link State#WRITING} to {@link
   * State#COMPLETED_IN_WRITE}; later, {@link State#PENDING} to {@link State#WRITING} (this thread
   * writes on) or {@link State#IDLE}. Ignored once the owner ended.
   *
   * @throws IllegalStateException if no write was in flight
   */
  @Override
  public void succeeded() {
    Next next;
    LatencySampling.Sample sample;
    synchronized (lock) {
      sample = owner.written();
      switch (state) {
        case WRITING:
          state = State.COMPLETED_IN_WRITE;
          next = Next.IDLE;
          break;
        case PENDING:
          batch.clear();
          next = takeNext();
          break;
        case CLOSE_PENDING:
        case CLOSED:
          next = Next.IDLE;
          break;
        default:
          throw illegal("succeeded");
      }
    }
    if (sample != null) {
      sampling.record(sample);
    }
    proceed(next);
  }

  /** The write failed: the owner ends, which {@link #close}s the loop. */
  @Override
  public void failed(Throwable cause) {
    owner.abort(cause == null ? new ClientGoneException("write failed", null) : cause);
  }

  /** Without the lock: closes the transport, once (see {@link #close}). */
  void closeTransport(CloseReason reason) {
    try {
      transport.close(reason);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, id + " transport threw from close", e);
    }
  }

  /** Describes the loop and its state, such as {@code WriteLoop@sse-7[PENDING]}. */
  @Override
  public String toString() {
    synchronized (lock) {
      return "WriteLoop@" + id + "[" + state + "]";
    }
  }

  /** Under the lock: asks the owner for the next batch; to {@link State#WRITING} or IDLE. */
  private Next takeNext() {
    Next next = owner.fill(batch);
    state = next == Next.WRITE ? State.WRITING : State.IDLE;
    return next;
  }

  /** Without the lock: carries out {@code next}, writing for as long as writes complete at once. */
  private void proceed(Next next) {
    while (next == Next.WRITE) {
      next = write();
    }
    if (next == Next.FINISH) {
      owner.finish();
    }
  }

  /**
   * Calls the transport once, then: {@link State#WRITING} to {@link State#PENDING}; {@link
   * State#COMPLETED_IN_WRITE} to the next batch; {@link State#CLOSE_PENDING} to {@link
   * State#CLOSED}, closing the transport.
   */
  private Next write() {
    try {
      transport.write(batch, this);
    } catch (RuntimeException | Error e) {
      writeThrew(e);
      return Next.IDLE;
    }
    // Before the lock: no other thread fills a batch until this one leaves WRITING.
    owner.handedOver();
    CloseReason reason;
    synchronized (lock) {
      switch (state) {
        case WRITING:
          state = State.PENDING;
          return Next.IDLE;
        case COMPLETED_IN_WRITE:
          batch.clear();
          return takeNext();
        case CLOSE_PENDING:
          state = State.CLOSED;
          reason = closeReason;
          break;
        default:
          throw illegal("return from write");
      }
    }
    closeTransport(reason);
    return Next.IDLE;
  }

  /**
   * The transport threw from write: the write is abandoned, as if its completion never came ({@link
   * State#PENDING}, which the owner's ending closes), and the owner ends with the error. If it had
   * ended during the call already ({@link State#CLOSE_PENDING}), this thread closes the transport.
   */
  private void writeThrew(Throwable e) {
    CloseReason reason = null;
    synchronized (lock) {
      switch (state) {
        case WRITING:
        case COMPLETED_IN_WRITE:
          state = State.PENDING;
          break;
        case CLOSE_PENDING:
          state = State.CLOSED;
          reason = closeReason;
          break;
        default:
          throw illegal("throw from write");
      }
    }
    owner.abort(e);
    if (reason != null) {
      closeTransport(reason);
    }
  }

  private IllegalStateException illegal(String transition) {
    return new IllegalStateException(this + " cannot " + transition);
  }
}
