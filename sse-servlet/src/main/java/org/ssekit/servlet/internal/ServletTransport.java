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
 * the {@link StreamStateMachine} decides under its lock who, and the driver calls the container
 * ({@link ContainerWrite}) outside it. A container callback ({@code onWritePossible}; the end of
 * the exchange through {@link ContainerEvents}) that comes while another thread drives waits,
 * without our lock, until that call returns: the container must not go on with the exchange while
 * we write to it. A {@link #close} meanwhile is left to the driver, which completes the exchange
 * after its call.
 *
 * <p><b>A refusal</b> (refused by the hub, or ended before the first write) is answered per the
 * endpoint's {@link RefusalAnswer}, an unserved selection with a 400, and a body is one more write
 * of the same machine. The async context is completed once, whichever end comes first; a container
 * error or timeout that finds another thread completing it returns only once that thread's {@code
 * complete()} has, so that the container never completes it a second time (see {@link
 * StreamStateMachine#gone}).
 *
 * <p><b>Thread safety:</b> thread-safe. Nothing foreign runs under the machine's lock: container
 * I/O, the write callback and the subscription (and so the listener) are called after it is
 * released.
 */
final class ServletTransport implements SseTransport, WriteListener {
  private static final System.Logger LOG = System.getLogger(ServletTransport.class.getName());

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final RefusalAnswer refusalAnswer;
  private final Duration retryAfter;
  private final ContainerWrite write;
  private final StreamStateMachine machine;

  ServletTransport(
      AsyncContext async,
      HttpServletResponse response,
      ServletOutputStream out,
      RefusalAnswer refusalAnswer,
      Duration retryAfter) {
    this.async = async;
    this.response = response;
    this.refusalAnswer = refusalAnswer;
    this.retryAfter = retryAfter;
    this.write = new ContainerWrite(out);
    this.machine = new StreamStateMachine(write);
  }

  void bind(Subscription subscription) {
    Throwable gone = machine.bind(subscription);
    if (gone != null) {
      subscription.abort(gone);
    }
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    if (!machine.startWrite(StreamHttp.concat(chunks), callback)) {
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
    if (!machine.startDriving()) {
      return;
    }
    while (true) {
      ContainerWrite.Step step;
      try {
        step = write.step();
      } catch (IOException | RuntimeException e) {
        IOException failure = e instanceof IOException ? (IOException) e : new IOException(e);
        finishWrite(new ClientGoneException("write failed: " + failure, failure));
        return;
      }
      if (step == ContainerWrite.Step.DONE) {
        finishWrite(null);
        return;
      }
      StreamStateMachine.Next next = machine.afterStep(step);
      if (next == StreamStateMachine.Next.COMPLETE) {
        complete();
      }
      if (next != StreamStateMachine.Next.DRIVE_ON) {
        return;
      }
    }
  }

  /** Ends the driver's write: completes the exchange if that was left to it, then its callback. */
  private void finishWrite(ClientGoneException failure) {
    StreamStateMachine.Finished finished = machine.finishWrite();
    if (finished.completeExchange()) {
      complete();
    }
    WriteCallback done = finished.callback();
    if (done == null) {
      return;
    }
    if (failure != null) {
      done.failed(failure);
    } else {
      done.succeeded();
    }
  }

  @Override
  public void close(CloseReason reason) {
    switch (machine.close()) {
      case ANSWER_REFUSAL:
        boolean topicClosed = reason == CloseReason.TOPIC_CLOSED;
        answer(r -> StreamHeaders.answerRefusal(r, topicClosed, refusalAnswer, retryAfter));
        break;
      case COMPLETE:
        complete();
        break;
      default:
        break;
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
    if (!machine.mayAnswer()) {
      return; // the client went meanwhile, or the refusal is answered already
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
    if (machine.endAnswered()) {
      complete();
    }
  }

  /** Completes the exchange; called once, by the thread the machine made the completer. */
  private void complete() {
    try {
      async.complete();
    } catch (IllegalStateException alreadyDone) {
      // The container completed or recycled the exchange first (the client went away).
      LOG.log(Level.TRACE, "IGNORED: async context already completed", alreadyDone);
    } finally {
      machine.completed();
    }
  }

  @Override
  public void onError(Throwable t) {
    gone(new ClientGoneException("stream failed: " + t, t), true);
  }

  /**
   * The container reports that the exchange is over. It may do so from inside our own {@code write}
   * or {@code flush}, on the driver's thread: the lock is free then, and the write's callback is
   * failed here rather than by the driver.
   *
   * @param containerCompletes true if the container completes the exchange after this report unless
   *     a listener did (an error or a timeout; not {@code onComplete}): see {@link
   *     StreamStateMachine#gone}
   */
  void gone(ClientGoneException cause, boolean containerCompletes) {
    StreamStateMachine.Gone gone = machine.gone(cause, containerCompletes);
    if (gone.completeExchange()) {
      complete();
    }
    if (gone.callback() != null) {
      gone.callback().failed(cause);
    } else if (gone.subscription() != null) {
      gone.subscription().abort(cause);
    }
  }

  @Override
  public String toString() {
    return "ServletTransport@"
        + Integer.toHexString(System.identityHashCode(this))
        + "["
        + machine
        + "]";
  }
}
