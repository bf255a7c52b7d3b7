package org.ssekit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Builds hubs for a test and closes them after it, then checks that none of their threads outlived
 * them. Each hub gets a unique name, so its threads are recognisable.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
final class OpenHubs implements AutoCloseable {
  private static final AtomicInteger COUNT = new AtomicInteger();

  static {
    // Every test class builds hubs through this class: poll often, and check at once, so that
    // awaiting
    // an outcome costs milliseconds rather than Awaitility's default 100 ms.
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
  }

  private final List<SseHub> hubs = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  /**
   * Returns a builder for a hub with a unique name and a short shutdown timeout (so that closing a
   * hub with a stalled client after a test is quick); pass it to {@link #build}.
   */
  SseHub.Builder builder() {
    return SseHub.builder()
        .name("t" + COUNT.incrementAndGet())
        .shutdownTimeout(Duration.ofMillis(200));
  }

  /** Builds a hub that is closed after the test. */
  SseHub build(SseHub.Builder builder) {
    SseHub hub = builder.build();
    hubs.add(hub);
    names.add(hub.config().name());
    return hub;
  }

  /** Builds a hub with the defaults. */
  SseHub build() {
    return build(builder());
  }

  /** Closes every hub and waits for their threads to end. */
  @Override
  public void close() {
    for (SseHub hub : hubs) {
      hub.close();
    }
    for (String name : names) {
      awaitNoThreads("ssekit-" + name + "-");
    }
    hubs.clear();
    names.clear();
  }

  /** Waits up to five seconds until no live thread's name starts with {@code prefix}. */
  static void awaitNoThreads(String prefix) {
    await().atMost(Duration.ofSeconds(5)).until(() -> liveThreads(prefix).isEmpty());
  }

  static List<String> liveThreads(String prefix) {
    List<String> live = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith(prefix)) {
        live.add(thread.getName());
      }
    }
    return live;
  }
}
