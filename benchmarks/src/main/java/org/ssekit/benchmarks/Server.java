package org.ssekit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The server JVM: starts one contestant, then obeys one command per line on standard input and
 * answers each with one line on standard output ({@code OK key=value ...} or {@code ERR message}).
 *
 * <ul>
 *   <li>{@code measure}: full GCs, then heap used, direct buffers, RSS, live threads and open
 *       streams;
 *   <li>{@code publish FIRST COUNT RATE BYTES [multi]}: starts publishing events FIRST.., COUNT of
 *       them, RATE per second (a decimal; 0: as fast as the contestant takes them), each BYTES of
 *       data {@code "seq stampNanos xxx"}; the stamp is the event's scheduled time, so a publisher
 *       that falls behind shows as latency. With {@code multi}, event {@code seq} goes to topic
 *       {@link TopicSpread#topicOf topicOf(seq)} of the multi-topic streams instead of the one
 *       topic. A cluster node ({@link ClusterScenario}: system property {@value #NODE_PROPERTY})
 *       names itself in the data, {@code "seq stampNanos n<node> xxx"};
 *   <li>{@code rate TOPICS COUNT}: publishes COUNT events over TOPICS topics of their own, at most
 *       {@value #RATE_WINDOW} unacknowledged at a time, and answers the acknowledged publishes per
 *       second ({@link Contestant#publishAcknowledged});
 *   <li>{@code finish TIMEOUT_MILLIS}: waits for the publisher to end;
 *   <li>{@code stop}: ends the publisher after the event it is on, and answers how many it
 *       published (a phase that lasts as long as the orchestrator needs);
 *   <li>{@code stats}: published count, open streams, cut-offs, threads blocked in a write;
 *   <li>{@code quit}.
 * </ul>
 *
 * <p><b>Thread safety:</b> commands are read on the main thread; one publisher thread at a time
 * publishes; the fields it shares with the main thread are volatile.
 */
final class Server {
  /** The one topic every client subscribes to. */
  static final String TOPIC = "bench";

  /** The system property that gives a cluster node its number, named in every event's data. */
  static final String NODE_PROPERTY = "ssekit.bench.node";

  /** Publishes in flight at most in the {@code rate} command. */
  static final int RATE_WINDOW = 256;

  private static final String NODE_TAG =
      System.getProperty(NODE_PROPERTY) == null
          ? ""
          : "n" + System.getProperty(NODE_PROPERTY) + " ";

  // Method names of a thread stuck in output; "block" alone is not one (idle pool threads wait in
  // AbstractQueuedSynchronizer$ConditionNode.block), Jetty's blocking writes wait in a Blocker.
  private static final Set<String> BLOCKING_FRAMES =
      Set.of(
          "write",
          "flush",
          "doWrite",
          "writeBlocking",
          "flushBlocking",
          "awaitWrite",
          "send",
          "broadcast");

  private final Contestant contestant;
  private final PrintStream out;
  private volatile Thread publisher;
  private volatile long published;
  private volatile long publishEndNanos;
  private volatile long lastCutoffNanos;
  private volatile Throwable publishFailure;
  private volatile boolean stopRequested;

  private Server(Contestant contestant, PrintStream out) {
    this.contestant = contestant;
    this.out = out;
  }

  static void main(String contestantName, int keepAliveSeconds) throws Exception {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // container chatter must not mix with answers
    Contestant contestant = Contestant.create(contestantName, keepAliveSeconds);
    int port = contestant.start();
    Server server = new Server(contestant, out);
    server.watchCutoffs();
    out.println(
        "READY port="
            + port
            + " pid="
            + ProcessHandle.current().pid()
            + " settings="
            + contestant.settings().replace(' ', '_'));
    server.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    contestant.stop();
    System.exit(0);
  }

  private void watchCutoffs() {
    Thread watcher =
        new Thread(
            () -> {
              long seen = 0;
              while (true) {
                long now = contestant.cutoffs();
                if (now != seen) {
                  seen = now;
                  lastCutoffNanos = System.nanoTime();
                }
                // Coarse on purpose: asking a hub for its counters walks its subscribers.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
              }
            },
            "bench-cutoff-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void serve(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        switch (words[0]) {
          case "measure":
            out.println("OK " + measure());
            break;
          case "publish":
            out.println(
                "OK start="
                    + startPublishing(
                        Long.parseLong(words[1]),
                        Long.parseLong(words[2]),
                        Double.parseDouble(words[3]),
                        Integer.parseInt(words[4]),
                        words.length > 5 && words[5].equals("multi")));
            break;
          case "rate":
            out.println("OK " + rate(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
            break;
          case "stop":
            stopRequested = true;
            out.println("OK " + finish(60_000));
            break;
          case "finish":
            out.println("OK " + finish(Long.parseLong(words[1])));
            break;
          case "stats":
            out.println("OK " + stats());
            break;
          case "quit":
            out.println("OK bye");
            return;
          default:
            out.println("ERR unknown command: " + line);
        }
      } catch (Exception e) {
        out.println("ERR " + e.toString().replace('\n', ' '));
      }
    }
  }

  private String measure() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed();
      }
    }
    return "heap="
        + heap
        + " direct="
        + direct
        + " rss="
        + rssBytes()
        + " threads="
        + ManagementFactory.getThreadMXBean().getThreadCount()
        + " open="
        + contestant.openStreams();
  }

  private static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private long startPublishing(
      long first, long count, double ratePerSecond, int dataBytes, boolean multi) {
    if (publisher != null && publisher.isAlive()) {
      throw new IllegalStateException("publisher still running");
    }
    long start = System.nanoTime();
    publishEndNanos = 0;
    published = 0;
    publishFailure = null;
    stopRequested = false;
    String pad = "x".repeat(dataBytes);
    Thread thread =
        new Thread(
            () -> {
              double periodNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
              try {
                for (long i = 0; i < count && !stopRequested; i++) {
                  long stamp;
                  if (periodNanos > 0) {
                    stamp = start + (long) (i * periodNanos);
                    long wait;
                    while ((wait = stamp - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                  } else {
                    stamp = System.nanoTime();
                  }
                  String head = (first + i) + " " + stamp + " " + NODE_TAG;
                  String data =
                      head.length() >= dataBytes ? head : head + pad.substring(head.length());
                  if (multi) {
                    contestant.publish(TopicSpread.topicOf(first + i), data);
                  } else {
                    contestant.publish(data);
                  }
                  published = i + 1;
                }
              } catch (Throwable t) {
                publishFailure = t;
              }
              publishEndNanos = System.nanoTime();
            },
            "bench-publisher");
    thread.setDaemon(true);
    publisher = thread;
    thread.start();
    return start;
  }

  private String rate(int topics, int count) throws Exception {
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(RATE_WINDOW);
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    String data = "x".repeat(Size.EVENT_BYTES);
    long start = System.nanoTime();
    for (int i = 0; i < count && failure.get() == null; i++) {
      window.acquire();
      contestant
          .publishAcknowledged("rate-" + topics + "-" + (i % topics), data)
          .whenComplete(
              (id, t) -> {
                if (t != null) {
                  failure.compareAndSet(null, t);
                }
                window.release();
              });
    }
    window.acquire(RATE_WINDOW); // every publish acknowledged
    long nanos = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException("a publish failed: " + failure.get());
    }
    return String.format(
        Locale.ROOT, "perSecond=%.0f millis=%d", count * 1e9 / nanos, nanos / 1_000_000);
  }

  private String finish(long timeoutMillis) throws InterruptedException {
    Thread thread = publisher;
    if (thread != null) {
      thread.join(Math.max(1, timeoutMillis));
    }
    boolean done = thread == null || !thread.isAlive();
    return "done="
        + done
        + " end="
        + publishEndNanos
        + " published="
        + published
        + (publishFailure == null ? "" : " failure=" + publishFailure.toString().replace(' ', '_'));
  }

  private String stats() {
    Thread thread = publisher;
    return "published="
        + published
        + " publishing="
        + (thread != null && thread.isAlive())
        + " open="
        + contestant.openStreams()
        + " cutoffs="
        + contestant.cutoffs()
        + " lastCutoff="
        + lastCutoffNanos
        + " blocked="
        + blockedInWrite()
        + " heapNoGc="
        + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Counts threads that are parked, waiting or blocked inside a write, flush or broadcast. */
  static int blockedInWrite() {
    int blocked = 0;
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, 32)) {
      if (info == null
          || info.getThreadState() == Thread.State.RUNNABLE
          || info.getThreadState() == Thread.State.NEW) {
        continue;
      }
      for (StackTraceElement frame : info.getStackTrace()) {
        if (BLOCKING_FRAMES.contains(frame.getMethodName())
            || frame.getClassName().toLowerCase(Locale.ROOT).contains("blocker")) {
          blocked++;
          System.err.println(
              "blocked in a write: "
                  + info.getThreadName()
                  + " "
                  + info.getThreadState()
                  + " at "
                  + frame);
          break;
        }
      }
    }
    return blocked;
  }
}
