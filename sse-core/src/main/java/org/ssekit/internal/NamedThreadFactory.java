package org.ssekit.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates daemon threads named {@code <prefix>-<n>}, so that ssekit threads are recognisable. */
final class NamedThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
    // Daemon, so that a hub the application forgot to close never keeps the JVM alive.
    thread.setDaemon(true);
    return thread;
  }
}
