package org.ssekit.jaxrs.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
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
 * once.
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
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private boolean closed;
  private boolean wroteBytes;
  private CloseReason closedBeforeWrite;
  private Thread sender;
  private boolean interruptedSender;
  private int interrupts;

  SinkTransport(SinkTarget target, Executor pool) {
    this.target = target;
    this.pool = pool;
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
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (!wroteBytes) {
        closedBeforeWrite = reason;
      }
      if (sender != null) {
        interruptSender();
        return; // the sender closes the sink when its send returns
      }
    }
    try {
      pool.execute(this::closeSink);
    } catch (RejectedExecutionException stopped) {
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

  /** Returns the reason the stream was closed with before any byte was sent, or null. */
  CloseReason closedBeforeWrite() {
    synchronized (lock) {
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
      return "SinkTransport{topic=" + target.topic + (closed ? ", CLOSED" : "") + "}";
    }
  }
}
