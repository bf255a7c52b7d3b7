package org.ssekit.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks that no ssekit thread outlives its hub.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ThreadChecks {
  private ThreadChecks() {}

  /** Waits up to 10 s until no live thread's name starts with {@code ssekit-}. */
  public static void awaitNoSsekitThreads() {
    await().atMost(Duration.ofSeconds(10)).until(() -> ssekitThreads().isEmpty());
  }

  /** Returns the names of the live threads whose name starts with {@code ssekit-}. */
  public static List<String> ssekitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("ssekit-"))
        .collect(Collectors.toList());
  }
}
