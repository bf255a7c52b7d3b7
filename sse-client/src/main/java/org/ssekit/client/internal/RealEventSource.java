package org.ssekit.client.internal;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.ssekit.client.EventSource;
import org.ssekit.client.EventSourceException;
import org.ssekit.client.EventSourceListener;

/**
 * The {@link EventSource}: a state machine over connection attempts.
 *
 * <p>States and transitions (all under {@link #lock}; what they cause, such as cancelling a
 * connection, scheduling a timer or delivering a signal, happens after the lock is released):
 *
 * <pre>
 * CONNECTING --opened--> OPEN
 * CONNECTING, OPEN --lost / retry-after--> WAITING --timer--> CONNECTING
 * any --close / 204 / failure / attempts exhausted--> CLOSED (final)
 * </pre>
 *
 * Every report from a connection names it; a report from a connection that is no longer {@link
 * #current} is stale and ignored, so late callbacks of a cancelled connection change nothing.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RealEventSource implements EventSource {
  private static final System.Logger LOG = System.getLogger(RealEventSource.class.getName());
  private static final AtomicLong IDS = new AtomicLong();

  /** The states of a source, each with the ready state it shows. */
  private enum State {
    /** A request is in flight. */
    CONNECTING(ReadyState.CONNECTING),
    /** A stream is being read. */
    OPEN(ReadyState.OPEN),
    /** A timer will start the next attempt. */
    WAITING(ReadyState.CONNECTING),
    /** Final. */
    CLOSED(ReadyState.CLOSED);

    final ReadyState shown;

    State(ReadyState shown) {
      this.shown = shown;
    }
  }

  private final long id = IDS.incrementAndGet();
  private final Settings settings;
  private final Backoff backoff;
  private final Delivery delivery;
  private final ReentrantLock lock = new ReentrantLock();

  // @GuardedBy("lock")
  private State state = State.CONNECTING;

  /** The connection attempt whose reports count, or null. */
  // @GuardedBy("lock")
  private Connection current;

  /** The reconnection, response-timeout or read-timeout timer, or null. */
  // @GuardedBy("lock")
  private ScheduledFuture<?> timer;

  // @GuardedBy("lock")
  private long reconnectionTimeMillis;

  // @GuardedBy("lock")
  private int failuresInRow;

  // @GuardedBy("lock")
  private long openedAtNanos;

  // @GuardedBy("lock")
  private final KeepAliveRhythm rhythm;

  /** Volatile: read by any thread through {@link #lastEventId()}; written by the reading thread. */
  private volatile String lastEventId;

  private RealEventSource(Settings settings, Function<RealEventSource, Sink> sink, long demand) {
    this.settings = settings;
    this.backoff =
        new Backoff(
            settings.reconnectPolicy(), bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.reconnectionTimeMillis = settings.reconnectPolicy().reconnectionTime().toMillis();
    this.rhythm = new KeepAliveRhythm(settings.initialReadTimeout());
    this.lastEventId = settings.lastEventId();
    this.delivery = new Delivery(settings.callbackExecutor(), sink.apply(this), demand);
  }

  /** Starts a source that reports to {@code listener}. */
  public static EventSource start(Settings settings, EventSourceListener listener) {
    RealEventSource source =
        new RealEventSource(settings, s -> new ListenerSink(s, listener), Long.MAX_VALUE);
    source.connect();
    return source;
  }

  /**
   * Creates a source that reports to a sink with an initial demand; {@link #connect()} starts it.
   */
  static RealEventSource create(
      Settings settings, Function<RealEventSource, Sink> sink, long demand) {
    return new RealEventSource(settings, sink, demand);
  }

  @Override
  public URI uri() {
    return settings.uri();
  }

  @Override
  public ReadyState readyState() {
    lock.lock();
    try {
      return state.shown;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public void close() {
    terminate(null);
  }

  /** Adds demand for events (publisher and iterator sinks). */
  void request(long n) {
    if (n <= 0) {
      terminate(new IllegalArgumentException("n <= 0: " + n));
      return;
    }
    delivery.request(n);
  }

  /** A listener or subscriber threw: the source closes, reporting what was thrown. */
  void listenerFailed(Throwable cause) {
    terminate(cause);
  }

  /** Starts a connection attempt, unless closed. */
  void connect() {
    Connection connection;
    lock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CONNECTING;
      connection = new Connection(this, settings.maxLineChars(), lastEventId);
      current = connection;
      timer =
          Timers.schedule(() -> responseTimedOut(connection), settings.responseTimeout().toNanos());
    } finally {
      lock.unlock();
    }
    LOG.log(System.Logger.Level.DEBUG, () -> this + " connecting to " + settings.uri());
    CompletableFuture<HttpResponse<Void>> exchange;
    try {
      exchange = settings.client().sendAsync(settings.request(lastEventId), connection::responded);
    } catch (RuntimeException e) {
      lost(connection, e);
      return;
    }
    connection.exchange(exchange);
    exchange.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            lost(
                connection,
                failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure);
          }
        });
  }

  /** The body of a stream is subscribed: the source is open. */
  void opened(Connection connection) {
    ScheduledFuture<?> responseTimer;
    long timeoutNanos;
    lock.lock();
    try {
      if (current != connection || state != State.CONNECTING) {
        responseTimer = null;
        timeoutNanos = -1;
      } else {
        state = State.OPEN;
        openedAtNanos = System.nanoTime();
        rhythm.connectionOpened();
        responseTimer = timer;
        timeoutNanos = readTimeoutNanos();
        timer = Timers.schedule(() -> checkRead(connection), timeoutNanos);
      }
    } finally {
      lock.unlock();
    }
    if (timeoutNanos < 0) {
      connection.cancel();
      return;
    }
    responseTimer.cancel(false);
    LOG.log(System.Logger.Level.DEBUG, () -> this + " open");
    delivery.opened(connection::requestNext);
  }

  /** A chunk was parsed: deliver what it completed, then read the next. */
  void chunkParsed(Connection connection, List<Object> signals, String lastEventId) {
    this.lastEventId = lastEventId;
    delivery.chunk(signals, connection::requestNext);
  }

  /** A comment arrived: learn the keep-alive rhythm, and re-arm the read timeout if it changed. */
  void commentSeen(Connection connection, long nowNanos) {
    ScheduledFuture<?> oldTimer = null;
    lock.lock();
    try {
      if (rhythm.comment(nowNanos)
          && settings.readTimeout() == null
          && current == connection
          && state == State.OPEN) {
        oldTimer = timer;
        timer = Timers.schedule(() -> checkRead(connection), rhythm.timeoutNanos());
      }
    } finally {
      lock.unlock();
    }
    if (oldTimer != null) {
      oldTimer.cancel(false);
    }
  }

  void retry(long retryMillis) {
    lock.lock();
    try {
      reconnectionTimeMillis = retryMillis;
    } finally {
      lock.unlock();
    }
  }

  /** The connection or attempt was lost: reconnect after the policy's delay. */
  void lost(Connection connection, Throwable cause) {
    lost(connection, cause, 0);
  }

  /** As {@link #lost(Connection, Throwable)}, waiting at least {@code minDelayMillis}. */
  void lost(Connection connection, Throwable cause, long minDelayMillis) {
    ScheduledFuture<?> oldTimer;
    Throwable terminal = null;
    long delayMillis = -1;
    lock.lock();
    try {
      if (current != connection || state == State.CLOSED) {
        return;
      }
      current = null;
      oldTimer = timer;
      timer = null;
      boolean stable =
          state == State.OPEN
              && System.nanoTime() - openedAtNanos
                  >= settings.reconnectPolicy().stableAfter().toNanos();
      failuresInRow = stable ? 0 : failuresInRow + 1;
      int maxAttempts = settings.reconnectPolicy().maxAttempts();
      if (maxAttempts > 0 && failuresInRow >= maxAttempts) {
        state = State.CLOSED;
        terminal =
            new EventSourceException(
                "connection attempts failed in a row: " + failuresInRow, cause);
      } else {
        state = State.WAITING;
        delayMillis =
            Math.max(minDelayMillis, backoff.delayMillis(reconnectionTimeMillis, failuresInRow));
        timer = Timers.schedule(this::connect, Duration.ofMillis(delayMillis).toNanos());
      }
    } finally {
      lock.unlock();
    }
    if (oldTimer != null) {
      oldTimer.cancel(false);
    }
    connection.cancel();
    if (terminal != null) {
      LOG.log(System.Logger.Level.DEBUG, () -> this + " giving up", cause);
      delivery.terminate(terminal);
      return;
    }
    long delay = delayMillis;
    LOG.log(System.Logger.Level.DEBUG, () -> this + " reconnecting in " + delay + " ms", cause);
    delivery.failure(cause);
  }

  /** Closes for good because of this connection: a 204 (cause null) or a failure. */
  void failed(Connection connection, Throwable cause) {
    lock.lock();
    try {
      if (current != connection) {
        return;
      }
    } finally {
      lock.unlock();
    }
    terminate(cause);
  }

  private void terminate(Throwable cause) {
    Connection connection;
    ScheduledFuture<?> oldTimer;
    lock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      connection = current;
      current = null;
      oldTimer = timer;
      timer = null;
    } finally {
      lock.unlock();
    }
    if (oldTimer != null) {
      oldTimer.cancel(false);
    }
    if (connection != null) {
      connection.cancel();
    }
    LOG.log(System.Logger.Level.DEBUG, () -> this + " closed", cause);
    delivery.terminate(cause);
  }

  private void responseTimedOut(Connection connection) {
    lost(
        connection,
        new EventSourceException("response timeout: " + settings.responseTimeout(), null));
  }

  /**
   * Checks, when the read timeout may have passed, whether the stream has been silent that long.
   */
  private void checkRead(Connection connection) {
    long timeoutNanos;
    lock.lock();
    try {
      if (current != connection || state != State.OPEN) {
        return;
      }
      timeoutNanos = readTimeoutNanos();
      long since = connection.awaitingSinceNanos();
      // While the consumer holds back demand nothing is read, and that is not the server's fault.
      long idleNanos = since == Connection.NOT_AWAITING ? 0 : System.nanoTime() - since;
      if (idleNanos < timeoutNanos) {
        timer = Timers.schedule(() -> checkRead(connection), timeoutNanos - idleNanos);
        return;
      }
    } finally {
      lock.unlock();
    }
    lost(
        connection,
        new EventSourceException("read timeout: " + Duration.ofNanos(timeoutNanos), null));
  }

  private long readTimeoutNanos() {
    assert lock.isHeldByCurrentThread();
    Duration fixed = settings.readTimeout();
    return fixed != null ? fixed.toNanos() : rhythm.timeoutNanos();
  }

  /** Describes the source and its state, such as {@code EventSource#3[OPEN]}. */
  @Override
  public String toString() {
    return "EventSource#" + id + "[" + readyState() + "]";
  }
}
