package org.ssekit.spring.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;
import org.ssekit.SseHub;

/**
 * Closes the application's {@link SseHub} when the context stops, before the web server's graceful
 * shutdown waits for requests to finish: every stream gets its jittered {@code retry:} and ends at
 * once, so the open streams do not hold the shutdown until its timeout.
 *
 * <p>Boot's graceful shutdown runs in phase {@code SmartLifecycle.DEFAULT_PHASE - 1024} (Boot 3.5:
 * {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}; Boot 4.0: {@code
 * WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}, the same value), and Spring stops higher
 * phases first; this runs in {@link #PHASE}, above it. The web server still accepts requests while
 * the hub closes; a stream request arriving then is refused with the refusal answer (by default a
 * jittered {@code retry:}), as by a closing hub anywhere.
 *
 * <p><b>Lifecycle:</b> running from the context's start; {@link #stop()} closes the hub, which
 * cannot be opened again: a context stopped and started again keeps a closed hub (refreshing a
 * context builds a new one).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class HubLifecycle implements SmartLifecycle {
  /** The phase: above Boot's graceful shutdown ({@code DEFAULT_PHASE - 1024}), so stopped first. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final System.Logger LOG = System.getLogger(HubLifecycle.class.getName());

  private final SseHub hub;
  private volatile boolean running; // written by start/stop, read by health checks on any thread

  /**
   * Creates the lifecycle of {@code hub}.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  public HubLifecycle(SseHub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  @Override
  public void start() {
    running = true;
  }

  /** Closes the hub: each stream gets a jittered {@code retry:} and ends. */
  @Override
  public void stop() {
    running = false;
    long startNanos = System.nanoTime();
    hub.close();
    LOG.log(
        Level.DEBUG,
        () ->
            hub.config().name()
                + " closed before graceful shutdown in "
                + (System.nanoTime() - startNanos) / 1_000_000
                + " ms");
  }

  /** Returns true from the context's start until the hub was closed by {@link #stop()}. */
  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
