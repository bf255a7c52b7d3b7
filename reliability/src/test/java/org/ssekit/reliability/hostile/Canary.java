package org.ssekit.reliability.hostile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * The other clients that hostile requests must not affect: one stream of the topic {@value #TOPIC}
 * on each adapter of a {@link HostileServer}, and a publisher that sends it a numbered event every
 * {@value #PERIOD_MILLIS} ms while the hostile requests run. {@link #finish()} tells how many
 * events the streams missed or got out of order: zero when the server was unaffected.
 *
 * <p><b>Thread safety:</b> confined to the test thread; the publisher runs on its own thread.
 */
final class Canary implements AutoCloseable {
  static final String TOPIC = "canary";
  private static final int PERIOD_MILLIS = 20;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final HostileServer server;
  private final List<RawSseClient> streams = new ArrayList<>();
  private final AtomicInteger published = new AtomicInteger();
  private final ScheduledExecutorService publisher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "hostile-canary-publisher");
            thread.setDaemon(true);
            return thread;
          });

  private Canary(HostileServer server) {
    this.server = server;
  }

  /** Opens the two streams, waits for both to be subscribed, and starts publishing. */
  static Canary start(HostileServer server) throws Exception {
    Canary canary = new Canary(server);
    int before = server.hub.stats().subscribers();
    for (Way way : Way.values()) {
      RawSseClient stream = RawSseClient.get(server.port(), way.open() + "?entry=" + TOPIC);
      canary.streams.add(stream);
      if (!stream.awaitHeaders(WAIT) || stream.status() != 200) {
        canary.close();
        throw new IllegalStateException(
            "the canary stream on " + way + " did not open: status " + stream.status());
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.hub.stats().subscribers() < before + canary.streams.size()) {
      if (System.nanoTime() > deadline) {
        canary.close();
        throw new IllegalStateException("the canary streams were not subscribed in " + WAIT);
      }
      Thread.sleep(10);
    }
    canary.publisher.scheduleAtFixedRate(
        () -> server.publish(TOPIC, Integer.toString(canary.published.getAndIncrement())),
        0,
        PERIOD_MILLIS,
        TimeUnit.MILLISECONDS);
    return canary;
  }

  /** Returns the number of open canary streams (to tell them from the cases' streams). */
  int streams() {
    return streams.size();
  }

  /**
   * Stops publishing and returns how many events the streams missed, got twice or out of order,
   * summed over the streams; 0 if every stream got every event in order.
   */
  int finish() throws InterruptedException {
    publisher.shutdown();
    if (!publisher.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the canary publisher did not stop");
    }
    server.publish(TOPIC, "end");
    int wrong = 0;
    int count = published.get();
    for (RawSseClient stream : streams) {
      int next = 0;
      while (true) {
        ReceivedEvent event = stream.poll(WAIT);
        if (event == null) {
          wrong += count - next + 1;
          break;
        }
        if (event.data().equals("end")) {
          wrong += count - next;
          break;
        }
        if (!event.data().equals(Integer.toString(next))) {
          wrong++;
        }
        next = Integer.parseInt(event.data()) + 1;
      }
    }
    return wrong;
  }

  /** Returns how many events were published to the canary streams. */
  int published() {
    return published.get();
  }

  @Override
  public void close() {
    publisher.shutdownNow();
    streams.forEach(RawSseClient::close);
  }
}
