package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A hub's threads: a fixed pool of delivery threads that runs subscribers' write loops (through a
 * {@link ReadyQueue}) and terminal actions, one scheduler thread that sweeps every subscriber at a
 * fixed tick for keep-alives and stalls, and ends the streams whose authorization expires, and a
 * bounded pool that calls the application's listeners. No thread exists per subscriber.
 *
 * <p><b>Lifecycle:</b> running once built; {@link #shutdown} stops every thread.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubExecutors {
  private static final System.Logger LOG = System.getLogger(HubExecutors.class.getName());

  /** The most callback threads a hub runs at once. */
  static final int MAX_CALLBACK_THREADS = 64;

  private final Object owner; // named in log lines by its toString at the time
  private final HubThreads threads;
  private final ThreadPoolExecutor delivery;
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor callbacks;
  final ReadyQueue ready;

  HubExecutors(HubConfig config, Object owner) {
    this.owner = owner;
    this.threads = new HubThreads("ssekit-" + config.name());
    this.delivery =
        new ThreadPoolExecutor(
            config.deliveryThreads(),
            config.deliveryThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> threads.newThread(task, "delivery"));
    this.delivery.allowCoreThreadTimeOut(true);
    this.ready = new ReadyQueue(delivery, config.deliveryThreads());
    this.scheduler =
        new ScheduledThreadPoolExecutor(1, task -> threads.newThread(task, "scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    // A thread per callback running, reused when idle: a listener that blocks holds up one of
    // these, never a delivery thread, the scheduler or the log's I/O thread. Bounded, so that a
    // listener blocking on every stream cannot make a thread per stream: past the bound, a
    // callback runs on the thread that opened or ended its subscription, as before this pool.
    this.callbacks =
        new ThreadPoolExecutor(
            0,
            MAX_CALLBACK_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> threads.newThread(task, "callback"),
            (task, pool) -> task.run());
  }

  /**
   * Returns the executor of the subscriptions' listener calls. Once the hub stopped, or while every
   * callback thread is busy, it runs a call on the calling thread.
   */
  Executor callbacks() {
    return callbacks;
  }

  /** Runs {@code sweep} at a quarter of the shorter interval, between 10 ms and 1 s. */
  void sweepEvery(Duration keepAlive, Duration stallTimeout, Runnable sweep) {
    long shorter = Math.min(keepAlive.toNanos(), stallTimeout.toNanos());
    long tickNanos =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shorter / 4));
    scheduler.scheduleAtFixedRate(sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code task} once on the scheduler thread after {@code delayNanos}; returns its future, or
   * null if the hub stopped (its streams are ending anyway).
   */
  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    try {
      return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopped) {
      return null;
    }
  }

  /** Runs {@code subscription}'s terminal actions on a delivery thread (or here, if stopped). */
  void finishLater(RealSubscription subscription) {
    try {
      delivery.execute(subscription::finish);
    } catch (RejectedExecutionException stopped) {
      subscription.finish();
    }
  }

  /**
   * Stops the scheduler, lets the delivery threads finish their work for up to {@code
   * timeoutMillis} plus a second, then waits for every thread to end.
   */
  void shutdown(long timeoutMillis) {
    scheduler.shutdownNow();
    delivery.shutdown();
    try {
      if (!delivery.awaitTermination(timeoutMillis + 1000, TimeUnit.MILLISECONDS)) {
        LOG.log(
            Level.WARNING,
            () -> owner + " delivery threads did not stop in time; interrupting them");
        delivery.shutdownNow();
      }
      scheduler.awaitTermination(1, TimeUnit.SECONDS);
      // After the delivery threads: their terminal actions hand the last onClose calls over.
      callbacks.shutdown();
      if (!callbacks.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        LOG.log(Level.WARNING, () -> owner + " a listener did not return in time; interrupting it");
        callbacks.shutdownNow();
      }
      // A pool reports termination while its last worker is still exiting; a container looking for
      // leaked threads right after undeploy must not find it.
      if (!threads.awaitThreadsEnded(System.nanoTime() + TimeUnit.SECONDS.toNanos(2))) {
        LOG.log(Level.WARNING, () -> owner + " a hub thread is still running after close");
      }
    } catch (InterruptedException e) {
      delivery.shutdownNow();
      callbacks.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
