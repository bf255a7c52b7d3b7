package org.ssekit.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates daemon threads named {@code <prefix>-<role>-<n>}, so that ssekit threads are
 * recognisable, and can wait until every one of them has ended: an executor reports termination
 * while its last worker is still exiting, and a container checking for leaked threads on undeploy
 * would see that worker.
 *
 * <p>{@link #daemonFactory} is the one thread factory of the adapters and logs, so that every
 * ssekit thread is named and a daemon.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class HubThreads {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  HubThreads(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Returns a factory of daemon threads named {@code <namePrefix>-<n>}, n counting from 1.
   *
   * @throws NullPointerException if {@code namePrefix} is null
   */
  public static ThreadFactory daemonFactory(String namePrefix) {
    java.util.Objects.requireNonNull(namePrefix, "namePrefix");
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, namePrefix + "-" + count.incrementAndGet());
      // Daemon, so that a component the application forgot to close never keeps the JVM alive.
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Returns a new, unstarted thread named {@code <prefix>-<role>-<n>} that runs {@code task}. */
  Thread newThread(Runnable task, String role) {
    // Pools let idle threads time out and make new ones later: forget the ended ones.
    threads.removeIf(thread -> thread.getState() == Thread.State.TERMINATED);
    Thread thread = new Thread(task, prefix + "-" + role + "-" + count.incrementAndGet());
    // Daemon, so that a hub the application forgot to close never keeps the JVM alive.
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /**
   * Waits until every thread this factory made has ended, or until {@code deadlineNanos} (a {@link
   * System#nanoTime()} value).
   *
   * @return true if they all ended
   */
  boolean awaitThreadsEnded(long deadlineNanos) throws InterruptedException {
    for (Thread thread : threads) {
      if (thread == Thread.currentThread()) {
        continue;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
      }
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
