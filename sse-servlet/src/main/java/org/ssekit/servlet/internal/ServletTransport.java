package org.ssekit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.WriteCallback;
import org.ssekit.internal.StreamHttp;

/**
 * One event stream over Servlet non-blocking I/O. A write hands the container all its bytes in one
 * {@code write} call and then flushes; whenever {@code isReady()} says the container is busy, the
 * write continues from {@link #onWritePossible()}. No thread ever waits on the client.
 *
 * <p>Completion of the async context happens once, whichever of {@link #close}, the container's
 * {@code onComplete}/{@code onError}/{@code onTimeout} or a write failure comes first; the
 * subscription leaves its topic then.
 *
 * <p><b>Thread safety:</b> thread-safe; container I/O happens under {@link #lock}, callbacks
 * outside it.
 */
final class ServletTransport implements SseTransport, WriteListener, AsyncListener {
  private static final System.Logger LOG = System.getLogger(ServletTransport.class.getName());

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final ServletOutputStream out;
  private final Duration retryAfter;
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private byte[] pending;
  private boolean flushPending;
  private WriteCallback callback;
  private boolean wroteOnce;
  private boolean completed;
  private Throwable goneBeforeBound;
  // Written once, after the hub returned it; callbacks before that are remembered in
  // goneBeforeBound.
  private volatile Subscription subscription;

  ServletTransport(
      AsyncContext async,
      HttpServletResponse response,
      ServletOutputStream out,
      Duration retryAfter) {
    this.async = async;
    this.response = response;
    this.out = out;
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
    boolean rejected;
    synchronized (lock) {
      rejected = completed;
      if (!rejected) {
        this.pending = StreamHttp.concat(chunks);
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

  /**
   * Continues the current write as far as the container allows; completes its callback when done.
   */
  private void drive() {
    WriteCallback done;
    IOException failure = null;
    synchronized (lock) {
      if (callback == null) {
        return; // nothing in flight: an initial or spurious onWritePossible
      }
      try {
        if (pending != null) {
          if (!out.isReady()) {
            return;
          }
          byte[] bytes = pending;
          pending = null;
          if (bytes.length > 0) {
            out.write(bytes);
          }
        }
        if (flushPending) {
          if (!out.isReady()) {
            return;
          }
          flushPending = false;
          out.flush();
        }
        if (!out.isReady()) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        failure = e instanceof IOException ? (IOException) e : new IOException(e);
      }
      // A container may report an error from inside write or flush (re-entering this object on the
      // same thread); then the callback was completed there already.
      done = callback;
      callback = null;
    }
    if (done == null) {
      return;
    }
    if (failure != null) {
      done.failed(new ClientGoneException("write failed: " + failure, failure));
    } else {
      done.succeeded();
    }
  }

  @Override
  public void close(CloseReason reason) {
    boolean refused;
    synchronized (lock) {
      if (completed) {
        return;
      }
      completed = true;
      refused = !wroteOnce;
      callback = null;
      pending = null;
    }
    if (refused && !response.isCommitted()) {
      StreamHeaders.answerRefusal(response, reason == CloseReason.TOPIC_CLOSED, retryAfter);
    }
    complete();
  }

  /** Answers a subscription the hub refused before it was admitted: 503 with Retry-After. */
  void refuse() {
    synchronized (lock) {
      if (completed) {
        return;
      }
      completed = true;
    }
    StreamHeaders.answerRefusal(response, false, retryAfter);
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

  @Override
  public void onComplete(AsyncEvent event) {
    gone(new ClientGoneException("stream completed by the container", null));
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The timeout is disabled; a container that still fires it has ended the exchange.
    gone(new ClientGoneException("container timed the stream out", event.getThrowable()));
  }

  @Override
  public void onError(AsyncEvent event) {
    gone(new ClientGoneException("stream failed: " + event.getThrowable(), event.getThrowable()));
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Not re-dispatched: nothing to do.
  }

  private void gone(ClientGoneException cause) {
    WriteCallback pendingCallback;
    Subscription bound;
    synchronized (lock) {
      pendingCallback = callback;
      callback = null;
      pending = null;
      bound = subscription;
      if (bound == null && goneBeforeBound == null) {
        goneBeforeBound = cause;
      }
      if (completed) {
        // We completed the exchange ourselves; the container's confirmation is not news.
        return;
      }
      completed = true;
    }
    complete();
    if (pendingCallback != null) {
      pendingCallback.failed(cause);
    } else if (bound != null) {
      bound.abort(cause);
    }
  }
}
