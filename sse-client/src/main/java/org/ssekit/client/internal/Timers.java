package org.ssekit.client.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one timer thread of all sources: reconnection delays and read-timeout checks. Cancelled tasks
 * leave its queue at once, and its thread ends after a few idle seconds, so a closed source holds
 * no thread and an idle application none either.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class Timers {
  private static final ScheduledExecutorService SCHEDULER = newScheduler();

  private Timers() {}

  /** Runs {@code task} after {@code delayNanos}. */
  static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return SCHEDULER.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  private static ScheduledExecutorService newScheduler() {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "ssekit-client-timer-" + count.incrementAndGet());
              // Daemon, so that a source the application forgot to close never keeps the JVM alive.
              thread.setDaemon(true);
              return thread;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setKeepAliveTime(5, TimeUnit.SECONDS);
    scheduler.allowCoreThreadTimeOut(true);
    return scheduler;
  }
}
