package org.ssekit.jaxrs;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Looks at what the JVM's threads are doing. */
final class ThreadDumps {
  private ThreadDumps() {}

  /** Returns the names of the live threads whose stack contains {@code className.methodName}. */
  static List<String> threadsInside(String qualifiedMethod) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(entry -> entry.getKey() != Thread.currentThread())
        .filter(entry -> contains(entry.getValue(), qualifiedMethod))
        .map(entry -> entry.getKey().getName())
        .collect(Collectors.toList());
  }

  /**
   * Returns the names of the threads that sat inside {@code className.methodName} without running
   * in every one of several samples taken over {@code during}. A thread caught once inside a write
   * may be doing a short non-blocking write; one parked there in every sample is waiting on it.
   */
  static List<String> threadsWaitingInside(String qualifiedMethod, Duration during)
      throws InterruptedException {
    int samples = 10;
    Set<String> waiting = null;
    for (int i = 0; i < samples; i++) {
      Set<String> now = new LinkedHashSet<>();
      for (var entry : Thread.getAllStackTraces().entrySet()) {
        Thread thread = entry.getKey();
        if (thread != Thread.currentThread()
            && thread.getState() != Thread.State.RUNNABLE
            && contains(entry.getValue(), qualifiedMethod)) {
          now.add(thread.getName());
        }
      }
      if (waiting == null) {
        waiting = now;
      } else {
        waiting.retainAll(now);
      }
      if (waiting.isEmpty()) {
        return List.of();
      }
      Thread.sleep(during.toMillis() / samples);
    }
    return List.copyOf(waiting);
  }

  private static boolean contains(StackTraceElement[] stack, String qualifiedMethod) {
    int dot = qualifiedMethod.lastIndexOf('.');
    String className = qualifiedMethod.substring(0, dot);
    String method = qualifiedMethod.substring(dot + 1);
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the names of threads named {@code prefix...} that are running rather than parked. */
  static List<String> busyThreads(String prefix) {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(entry -> entry.getKey().getName().startsWith(prefix))
        .filter(
            entry ->
                entry.getKey().getState() == Thread.State.RUNNABLE
                    || entry.getKey().getState() == Thread.State.BLOCKED)
        .map(
            entry ->
                entry.getKey().getName()
                    + " "
                    + entry.getKey().getState()
                    + " at "
                    + List.of(entry.getValue()).subList(0, Math.min(8, entry.getValue().length)))
        .collect(Collectors.toList());
  }
}
