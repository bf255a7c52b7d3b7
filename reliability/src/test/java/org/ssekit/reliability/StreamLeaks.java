package org.ssekit.reliability;

import java.time.Duration;
import org.ssekit.SseHub;

/**
 * The leak check after a batch of hostile requests: every stream they opened was closed by its
 * client, so once the hub's keep-alive (every second on the suite's servers) found them gone, the
 * hub must hold no subscriber and no queued byte.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class StreamLeaks {
  /** What {@link #awaitNone} returns when nothing leaked. */
  public static final String NONE = "none";

  private static final Duration WAIT = Duration.ofSeconds(20);

  private StreamLeaks() {}

  /**
   * Waits up to 20 s for {@code hub} to hold no subscriber; returns {@link #NONE}, or what is left.
   */
  public static String awaitNone(SseHub hub) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (hub.stats().subscribers() > 0 || hub.stats().bytesQueued() > 0) {
      if (System.nanoTime() > deadline) {
        return hub.stats().subscribers()
            + " streams, "
            + hub.stats().bytesQueued()
            + " bytes queued after "
            + WAIT.toSeconds()
            + " s";
      }
      Thread.sleep(50);
    }
    return NONE;
  }
}
