package org.ssekit.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;

/**
 * A thread that publishes to one hub, one event at a time (each awaits its answer, so the
 * publisher's sequence numbers are its append order), cycling through topics, and records every
 * answer in a {@link PublishBook}. Events are keyed {@code <name>:<seq>}.
 *
 * <p><b>Thread safety:</b> {@link #seq()} and {@link #stop()} may be called from any thread.
 */
public final class Publisher {
  private static final Duration NO_ANSWER = Duration.ofSeconds(15);

  private final String name;
  private final SseHub hub;
  private final List<String> topics;
  private final Duration interval;
  private final PublishBook book;
  private final Thread thread;
  private volatile long seq;
  private volatile boolean stopped;

  /**
   * Starts publishing to {@code hub}, one event per {@code interval} at most: even numbers to the
   * first topic, odd numbers to the others in turn.
   */
  public Publisher(
      String name, SseHub hub, List<String> topics, Duration interval, PublishBook book) {
    this.name = name;
    this.hub = hub;
    this.topics = topics;
    this.interval = interval;
    this.book = book;
    this.thread = new Thread(this::run, "reliability-publisher-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Returns the number of the last publish started. */
  public long seq() {
    return seq;
  }

  /** Returns the publisher's name, the prefix of its keys. */
  public String name() {
    return name;
  }

  private void run() {
    long next = 0;
    while (!stopped) {
      next++;
      String topic =
          next % 2 == 0 ? topics.get(0) : topics.get(1 + (int) ((next / 2) % (topics.size() - 1)));
      String key = name + ":" + next;
      long start = System.nanoTime();
      seq = next;
      Throwable failure = null;
      try {
        hub.publish(topic, ServerSentEvent.of(PublishBook.data(key, topic, start)))
            .toCompletableFuture()
            .get(NO_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException silent) {
        failure = new IllegalStateException("no answer within " + NO_ANSWER);
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failure = e;
      }
      book.record(key, topic, System.nanoTime() - start, failure);
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops publishing and waits for the publish in flight to be answered. */
  public void stop() throws InterruptedException {
    stopped = true;
    thread.join(NO_ANSWER.toMillis() + 5_000);
  }
}
