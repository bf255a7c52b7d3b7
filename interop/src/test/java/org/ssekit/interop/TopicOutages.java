package org.ssekit.interop;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;

/**
 * The in-memory log of every path's hub, whose replay lookups can be made to fail for one topic, as
 * a remote store's do while it is unreachable: a stream request of that topic is then refused for a
 * passing reason, and answered with the path's {@link org.ssekit.RefusalAnswer}. Appends still
 * work, so what is published meanwhile is replayed once the topic is back.
 *
 * <p>The topics that are down are kept statically: every run has its own topic (client and
 * scenario), and the paths run one after the other.
 */
final class TopicOutages implements EventLog {
  private static final Set<String> DOWN = ConcurrentHashMap.newKeySet();
  private static final ConcurrentHashMap<String, AtomicInteger> REFUSALS =
      new ConcurrentHashMap<>();

  private static final Object MONITOR = new Object();

  private final EventLog delegate = EventLog.inMemory();

  /**
   * Makes the replay lookups of {@code topic} fail ({@code true}, counting the failures from 0: the
   * same topic serves the scenario again on the next path) or work again.
   */
  static void down(String topic, boolean down) {
    if (down) {
      synchronized (MONITOR) {
        REFUSALS.remove(topic);
      }
      DOWN.add(topic);
    } else {
      DOWN.remove(topic);
    }
  }

  /** Returns how many replay lookups of {@code topic} failed so far. */
  static int refusals(String topic) {
    AtomicInteger count = REFUSALS.get(topic);
    return count == null ? 0 : count.get();
  }

  /**
   * Waits up to {@code timeout} until {@code count} replay lookups of {@code topic} failed.
   *
   * @return true if they did
   */
  static boolean awaitRefusals(String topic, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (MONITOR) {
      while (refusals(topic) < count) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(MONITOR, leftNanos);
      }
      return true;
    }
  }

  @Override
  public void start(Sink sink) {
    delegate.start(sink);
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    return delegate.append(topic, event);
  }

  @Override
  public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    if (DOWN.contains(topic)) {
      synchronized (MONITOR) {
        REFUSALS.computeIfAbsent(topic, t -> new AtomicInteger()).incrementAndGet();
        MONITOR.notifyAll();
      }
      return CompletableFuture.failedFuture(
          new IOException("interop: the log is unreachable for topic " + topic));
    }
    return delegate.lookUpReplay(topic, lastEventId);
  }

  @Override
  public boolean supportsSelections() {
    return delegate.supportsSelections();
  }

  /** Refused like a topic's lookup if one of the selection's exact topics is down. */
  @Override
  public CompletionStage<Replay> lookUpReplay(Selection selection, String lastEventId) {
    for (String topic : selection.topics()) {
      if (DOWN.contains(topic)) {
        return lookUpReplay(topic, lastEventId);
      }
    }
    return delegate.lookUpReplay(selection, lastEventId);
  }

  @Override
  public int compare(String a, String b) {
    return delegate.compare(a, b);
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    return delegate.closeTopic(topic);
  }

  @Override
  public void follow(String topic) {
    delegate.follow(topic);
  }

  @Override
  public void unfollow(String topic) {
    delegate.unfollow(topic);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
