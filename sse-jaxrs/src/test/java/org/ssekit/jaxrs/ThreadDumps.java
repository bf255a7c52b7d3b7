package org.ssekit.jaxrs;

import java.util.List;
import java.util.stream.Collectors;

/** Looks at what the JVM's threads are doing. */
final class ThreadDumps {
  private ThreadDumps() {}

  /** Returns the names of the live threads whose stack contains {@code className.methodName}. */
  static List<String> threadsInside(String qualifiedMethod) {
    int dot = qualifiedMethod.lastIndexOf('.');
    String className = qualifiedMethod.substring(0, dot);
    String method = qualifiedMethod.substring(dot + 1);
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(entry -> entry.getKey() != Thread.currentThread())
        .filter(
            entry ->
                List.of(entry.getValue()).stream()
                    .anyMatch(
                        frame ->
                            frame.getClassName().equals(className)
                                && frame.getMethodName().equals(method)))
        .map(entry -> entry.getKey().getName())
        .collect(Collectors.toList());
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
