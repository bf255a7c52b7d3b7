package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * A {@link SseTransport} that records what the core writes, parses it as a browser would, and
 * checks the transport contract (one write in flight, close once and never during a write, nothing
 * after close).
 *
 * <p>How writes complete is set by its {@link Mode}, which can change at any time; a write that was
 * held ({@link Mode#STALL}) can later be completed with {@link #resume()} or failed with {@link
 * #failPending()}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RecordingTransport implements SseTransport {
  /** How the next writes complete. */
  enum Mode {
    /** Succeeds before {@code write} returns. */
    SYNC,
    /** Succeeds later, on the executor's thread. */
    ASYNC,
    /**
     * Never completes until {@link #resume()} or {@link #failPending()}: a client that stopped
     * reading.
     */
    STALL,
    /**
     * Fails with a {@link ClientGoneException} before {@code write} returns: the client went away.
     */
    FAIL,
    /** Fails with a {@link ClientGoneException} and then throws from {@code write}. */
    FAIL_THEN_THROW,
    /** Throws from {@code write} without completing the callback: a broken transport. */
    THROW,
    /** Any of succeed, succeed later or fail later, at random: clients that vanish mid-write. */
    CHAOS,
    /**
     * Succeeds at once, later on the executor's thread, or on the executor's thread while {@code
     * write} waits for it, at random: a socket that is sometimes full, and a container that
     * completes on its own thread before the call returns.
     */
    EITHER
  }

  /** A comment line, as the parser reported it. */
  record Comment(String text) {}

  /** A {@code retry} field, as the parser reported it. */
  record Retry(long millis) {}

  /** One {@code write} call: its chunks concatenated, and how many chunks there were. */
  record Write(byte[] bytes, int chunkCount) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  // Grows as needed: a completion that waits for one of these is never queued behind itself.
  private static final Executor WITHIN_WRITE =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "recording-transport-within-write");
            thread.setDaemon(true);
            return thread;
          });

  private final Executor executor;
  private final Object lock = new Object();
  private volatile Mode mode;
  // @GuardedBy("lock")
  private final List<Write> writes = new ArrayList<>();
  // @GuardedBy("lock"): events (ReceivedEvent), comments and retries in stream order
  private final List<Object> received = new ArrayList<>();
  // @GuardedBy("lock")
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  // @GuardedBy("lock")
  private final EventStreamParser parser =
      new EventStreamParser(
          new EventStreamParser.Handler() {
            @Override
            public void onEvent(ReceivedEvent event) {
              received.add(event);
            }

            @Override
            public void onRetry(long retryMillis) {
              received.add(new Retry(retryMillis));
            }

            @Override
            public void onComment(String comment) {
              received.add(new Comment(comment));
            }
          });
  // @GuardedBy("lock")
  private WriteCallback pending;
  private final AtomicBoolean inWriteCall = new AtomicBoolean();
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final AtomicInteger closeCount = new AtomicInteger();
  private volatile CloseReason closeReason;
  private volatile int writesBeforeClose = -1;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile Runnable duringWrite = () -> {};

  RecordingTransport(Mode mode) {
    this(mode, Runnable::run);
  }

  /**
   * A transport whose {@link Mode#ASYNC} and {@link Mode#CHAOS} completions run on {@code
   * executor}.
   */
  RecordingTransport(Mode mode, Executor executor) {
    this.mode = mode;
    this.executor = executor;
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    if (!inWriteCall.compareAndSet(false, true)) {
      violations.add("write called concurrently with write or close");
    }
    try {
      if (!inFlight.compareAndSet(false, true)) {
        violations.add("write called while the previous write was in flight");
      }
      if (closeCount.get() > 0) {
        violations.add("write called after close");
      }
      record(chunks);
      duringWrite.run();
      complete(callback);
    } finally {
      inWriteCall.set(false);
    }
  }

  private void record(List<byte[]> chunks) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      joined.writeBytes(chunk);
    }
    byte[] all = joined.toByteArray();
    synchronized (lock) {
      writes.add(new Write(all, chunks.size()));
      bytes.writeBytes(all);
      parser.feed(all, 0, all.length);
    }
  }

  private void complete(WriteCallback callback) {
    switch (mode) {
      case SYNC:
        succeed(callback);
        break;
      case ASYNC:
        executor.execute(() -> succeed(callback));
        break;
      case STALL:
        synchronized (lock) {
          pending = callback;
        }
        break;
      case FAIL:
        fail(callback);
        break;
      case FAIL_THEN_THROW:
        fail(callback);
        throw new IllegalStateException("transport failed and threw");
      case THROW:
        inFlight.set(false);
        throw new IllegalStateException("transport broken");
      case CHAOS:
        switch (ThreadLocalRandom.current().nextInt(10)) {
          case 0:
            executor.execute(() -> fail(callback));
            break;
          case 1:
          case 2:
          case 3:
            succeed(callback);
            break;
          default:
            executor.execute(() -> succeed(callback));
        }
        break;
      case EITHER:
        switch (ThreadLocalRandom.current().nextInt(3)) {
          case 0:
            succeed(callback);
            break;
          case 1:
            executor.execute(() -> succeed(callback));
            break;
          default:
            // Another thread completes the write while its call still runs. Not on the executor:
            // a completion may write on (from its own thread), and writes that wait for the
            // executor from the executor's threads would starve it.
            CompletableFuture.runAsync(() -> succeed(callback), WITHIN_WRITE).join();
        }
        break;
      default:
        throw new AssertionError(mode);
    }
  }

  private void succeed(WriteCallback callback) {
    inFlight.set(false);
    try {
      callback.succeeded();
    } catch (RuntimeException | Error e) {
      violations.add("WriteCallback.succeeded threw " + e);
      throw e;
    }
  }

  private void fail(WriteCallback callback) {
    inFlight.set(false);
    try {
      callback.failed(new ClientGoneException("client gone", null));
    } catch (RuntimeException | Error e) {
      violations.add("WriteCallback.failed threw " + e);
      throw e;
    }
  }

  @Override
  public void close(CloseReason reason) {
    if (!inWriteCall.compareAndSet(false, true)) {
      violations.add("close called concurrently with write");
    }
    try {
      synchronized (lock) {
        writesBeforeClose = writes.size();
      }
      closeReason = reason;
      if (closeCount.incrementAndGet() > 1) {
        violations.add("close called more than once, last with " + reason);
      }
      closed.countDown();
    } finally {
      inWriteCall.set(false);
    }
  }

  /** Runs {@code action} inside every later write, after recording it and before completing it. */
  void duringWrite(Runnable action) {
    this.duringWrite = action;
  }

  /** Completes later writes with {@code mode}; a held write stays held. */
  void mode(Mode mode) {
    this.mode = mode;
  }

  /** Completes later writes at once, and completes the held write if there is one. */
  void resume() {
    mode = Mode.SYNC;
    WriteCallback callback;
    synchronized (lock) {
      callback = pending;
      pending = null;
    }
    if (callback != null) {
      succeed(callback);
    }
  }

  /** Fails the held write, as when the client goes away while the server waits to write. */
  void failPending() {
    WriteCallback callback;
    synchronized (lock) {
      callback = pending;
      pending = null;
    }
    assertThat(callback).as("a held write").isNotNull();
    fail(callback);
  }

  /** Returns true if a write is held by {@link Mode#STALL}. */
  boolean hasPendingWrite() {
    synchronized (lock) {
      return pending != null;
    }
  }

  /** Returns the write calls so far. */
  List<Write> writes() {
    synchronized (lock) {
      return List.copyOf(writes);
    }
  }

  int writeCount() {
    synchronized (lock) {
      return writes.size();
    }
  }

  /** Returns everything written, as text. */
  String text() {
    synchronized (lock) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Returns the events, comments and retries parsed from what was written, in stream order. */
  List<Object> received() {
    synchronized (lock) {
      return List.copyOf(received);
    }
  }

  /** Returns the events parsed from what was written, in stream order. */
  List<ReceivedEvent> events() {
    List<ReceivedEvent> events = new ArrayList<>();
    for (Object item : received()) {
      if (item instanceof ReceivedEvent) {
        events.add((ReceivedEvent) item);
      }
    }
    return events;
  }

  /** Returns the data of the events received, in order. */
  List<String> data() {
    return events().stream().map(ReceivedEvent::data).toList();
  }

  /** Returns the id of the last event received, or "" if none. */
  String lastEventId() {
    List<ReceivedEvent> events = events();
    return events.isEmpty() ? "" : events.get(events.size() - 1).lastEventId();
  }

  /** Waits for {@link #close}, asserting it came within {@code seconds}, and returns its reason. */
  CloseReason awaitClose(long seconds) throws InterruptedException {
    assertThat(closed.await(seconds, TimeUnit.SECONDS))
        .as("transport closed within %s s", seconds)
        .isTrue();
    return closeReason;
  }

  boolean isClosed() {
    return closeCount.get() > 0;
  }

  /** Returns the reason passed to close, or null before. */
  CloseReason closeReason() {
    return closeReason;
  }

  int closeCount() {
    return closeCount.get();
  }

  /** Returns how many writes came before close, or -1 before close. */
  int writesBeforeClose() {
    return writesBeforeClose;
  }

  /** Asserts that the core kept the transport contract. */
  void assertContractKept() {
    assertThat(violations).as("transport contract violations").isEmpty();
  }
}
