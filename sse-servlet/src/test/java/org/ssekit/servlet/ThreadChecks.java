package org.ssekit.servlet;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Checks that no ssekit thread outlives its hub. */
public final class ThreadChecks {
  private ThreadChecks() {}

  /** Waits up to 10 s until no live thread's name starts with {@code ssekit-}. */
  public static void awaitNoSsekitThreads() {
    await().atMost(Duration.ofSeconds(10)).until(() -> ssekitThreads().isEmpty());
  }

  static List<String> ssekitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("ssekit-"))
        .collect(Collectors.toList());
  }
}
