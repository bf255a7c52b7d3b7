package org.ssekit.reliability.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.ssekit.SseHub;
import org.ssekit.testkit.ThreadChecks;

/**
 * What a server holds at one moment, for the comparison of a run's end with its baseline: open
 * subscriptions (hub stats), live ssekit threads, open file descriptors of this JVM ({@code
 * /proc/self/fd}, Linux only) and heap in use after a full collection. Clients and servers share
 * the JVM, so the counts are of both; measure when no client is connected.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param subscribers the hub's open subscriptions
 * @param ssekitThreads the live threads named {@code ssekit-...}, but for the hub's callback pool:
 *     that pool makes threads on demand and ends an idle one only after 30 s, longer than a run
 *     waits to settle, so its count after a run says nothing of a leak
 * @param callbackThreads the live threads of the hub's callback pool ({@code ssekit-...-callback-
 *     <n>}), bounded by the pool (at most 64)
 * @param fds the open file descriptors
 * @param heapBytes heap in use after {@code System.gc()}
 * @param threads all live threads (reported, not compared: container pools grow and shrink)
 */
record Footprint(
    int subscribers,
    int ssekitThreads,
    int callbackThreads,
    long fds,
    long heapBytes,
    int threads) {
  /** The most threads the hub's callback pool runs at once (sse-core's {@code HubExecutors}). */
  static final int CALLBACK_POOL_BOUND = 64;

  /**
   * Measures {@code hub} and this JVM.
   *
   * @throws UncheckedIOException if {@code /proc/self/fd} cannot be listed
   */
  static Footprint of(SseHub hub) throws InterruptedException {
    return new Footprint(
        hub.stats().subscribers(),
        (int) ThreadChecks.ssekitThreads().stream().filter(name -> !isCallback(name)).count(),
        (int) ThreadChecks.ssekitThreads().stream().filter(Footprint::isCallback).count(),
        openFds(),
        heapAfterGc(),
        Thread.activeCount());
  }

  private static boolean isCallback(String threadName) {
    return threadName.contains("-callback-");
  }

  /** Returns how many file descriptors this JVM has open. */
  static long openFds() {
    try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
      return open.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc/self/fd (Linux only)", e);
    }
  }

  /** Returns the heap in use after three full collections, 50 ms apart. */
  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Returns the heap in MiB, one decimal. */
  String heapMib() {
    return String.format(java.util.Locale.ROOT, "%.1f", heapBytes / (1024.0 * 1024.0));
  }
}
