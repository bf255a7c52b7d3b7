package org.ssekit.jaxrs.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseTransport;
import org.ssekit.WriteCallback;
import org.ssekit.internal.StreamHttp;

/**
 * The write path without a servlet container: each write becomes one {@code SseEventSink.send} of a
 * {@link RawChunk}, run on the bounded send pool. The core keeps at most one write in flight, so a
 * sink holds at most one pool thread; a sink whose client stopped reading holds it until the stream
 * is closed (by the hub's stall timeout at the latest), when the thread is interrupted until it
 * leaves the send: each interrupt aborts a blocked write (Grizzly, NIO channels), and the failed
 * sink is then closed.
 *
 * <p>The first write carries no bytes: the response head is Jersey's to write, so it completes at
 * once. A close before any byte is a refusal: before the response filter {@linkplain #claimStream
 * claimed the stream} the filter answers it; after, Jersey is writing a stream's head already, so a
 * {@link RefusalAnswer#RETRY_STREAM} refusal sends its {@code retry:} through the sink before
 * closing it.
 *
 * <p><b>Thread safety:</b> thread-safe; the sink and the write callbacks are called outside {@link
 * #lock}, and the sink only from one pool task at a time.
 */
final class SinkTransport implements SseTransport {
  private static final System.Logger LOG = System.getLogger(SinkTransport.class.getName());
  private static final long INTERRUPT_INTERVAL_MILLIS = 100;
  private static final int MAX_INTERRUPTS = 100;

  private final SinkTarget target;
  private final Executor pool;
  private final RefusalAnswer refusalAnswer;
  private final Duration retryAfter;
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private boolean closed;
  private boolean wroteBytes;
  private CloseReason closedBeforeWrite;
  private boolean streamClaimed;
  private Thread sender;
  private boolean interruptedSender;
  private int interrupts;

  SinkTransport(
      SinkTarget target, Executor pool, RefusalAnswer refusalAnswer, Duration retryAfter) {
    this.target = target;
    this.pool = pool;
    this.refusalAnswer = refusalAnswer;
    this.retryAfter = retryAfter;
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    int length = StreamHttp.length(chunks);
    boolean rejected;
    synchronized (lock) {
      rejected = closed;
      if (!rejected && length > 0) {
        wroteBytes = true;
      }
    }
    if (rejected) {
      callback.failed(new ClientGoneException("stream already closed", null));
      return;
    }
    if (length == 0) {
      callback.succeeded();
      return;
    }
    byte[] bytes = StreamHttp.concat(chunks, length);
    try {
      pool.execute(() -> send(bytes, callback));
    } catch (RejectedExecutionException stopped) {
      callback.failed(new IOException("the send pool is stopped", stopped));
    }
  }

  private void send(byte[] bytes, WriteCallback callback) {
    boolean closedBefore;
    synchronized (lock) {
      closedBefore = closed;
      if (!closedBefore) {
        sender = Thread.currentThread();
      }
    }
    if (closedBefore) {
      callback.failed(new ClientGoneException("stream closed before the send", null));
      return;
    }
    CompletionStage<?> stage = null;
    Throwable thrown = null;
    boolean closeSink;
    try {
      stage = target.sink.send(new RawChunk(bytes));
    } catch (RuntimeException | Error e) {
      thrown = e;
    } finally {
      synchronized (lock) {
        sender = null;
        closeSink = closed;
        if (interruptedSender) {
          interruptedSender = false;
          Thread.interrupted(); // our interrupt, not the pool's: clear it before the next task
        }
      }
    }
    if (closeSink) {
      closeSink(); // the stream was closed during the send, which left the sink to this thread
    }
    if (thrown != null) {
      complete(callback, thrown);
    } else {
      stage.whenComplete((ignored, failure) -> complete(callback, failure));
    }
  }

  private void complete(WriteCallback callback, Throwable failure) {
    if (failure == null) {
      callback.succeeded();
      return;
    }
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof IOException || cause instanceof IllegalStateException) {
      // Jersey reports a gone client as an IOException, and a sink it closed as
      // IllegalStateException.
      callback.failed(new ClientGoneException("send failed: " + cause, cause));
    } else {
      target.failure(cause);
      callback.failed(cause);
    }
  }

  @Override
  public void close(CloseReason reason) {
    boolean retryFirst;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      retryFirst =
          !wroteBytes
              && streamClaimed
              && StreamHttp.refusalStatus(refusalAnswer, reason == CloseReason.TOPIC_CLOSED) == 200;
      if (!wroteBytes) {
        closedBeforeWrite = reason;
      }
      if (sender != null) {
        interruptSender();
        return; // the sender closes the sink when its send returns
      }
    }
    Runnable end = retryFirst ? this::sendRetryThenCloseSink : this::closeSink;
    try {
      pool.execute(end);
    } catch (RejectedExecutionException stopped) {
      closeSink();
    }
  }

  /** Ends a stream refused after its head went out: its {@code retry:}, then the end. */
  private void sendRetryThenCloseSink() {
    try {
      target
          .sink
          .send(new RawChunk(StreamHttp.refusalBody(retryAfter)))
          .whenComplete((ignored, failure) -> closeSink());
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED: the refusal's retry could not be sent", e);
      closeSink();
    }
  }

  /**
   * Interrupts the thread blocked in this sink's send, and again every {@value
   * #INTERRUPT_INTERVAL_MILLIS} ms while it stays there (up to {@value #MAX_INTERRUPTS} times): an
   * interrupt aborts one blocking wait, and Jersey, failing the write, closes its response with
   * another blocking flush.
   */
  private void interruptSender() {
    assert Thread.holdsLock(lock);
    // Under the lock, so the thread is still in this sink's send: a blocked write on a stalled
    // client.
    interruptedSender = true;
    sender.interrupt();
    if (++interrupts < MAX_INTERRUPTS) {
      Executor later =
          CompletableFuture.delayedExecutor(INTERRUPT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS, pool);
      try {
        later.execute(
            () -> {
              synchronized (lock) {
                if (sender != null) {
                  interruptSender();
                }
              }
            });
      } catch (RejectedExecutionException stopped) {
        LOG.log(Level.TRACE, "IGNORED: the send pool stopped", stopped);
      }
    }
  }

  /**
   * Called by the response filter once the hub admitted the sink: returns the reason the stream was
   * closed with before any byte was sent, for the filter to answer, or null, and then a later close
   * before any byte is this transport's to answer (the filter lets Jersey write a stream).
   */
  CloseReason claimStream() {
    synchronized (lock) {
      if (closedBeforeWrite == null) {
        streamClaimed = true;
      }
      return closedBeforeWrite;
    }
  }

  private void closeSink() {
    try {
      target.sink.close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED: closing a sink failed", e);
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SinkTransport{selection=" + target.selection + (closed ? ", CLOSED" : "") + "}";
    }
  }
}
