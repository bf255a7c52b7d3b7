package org.ssekit.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.SseHub;
import org.ssekit.reliability.PublishBook;
import org.ssekit.reliability.Publisher;
import org.ssekit.reliability.RunReport;
import org.ssekit.reliability.Scale;
import org.ssekit.reliability.StreamLeaks;
import org.ssekit.testkit.ServerLogs;

/**
 * Issue 19, points 1 and 6: connect/disconnect cycles by the thousand on each path (servlet on
 * Jetty and on Tomcat, JAX-RS on Jersey), {@value #USERS} at once, of every {@linkplain
 * SoakCycles.Kind kind}, while a publisher publishes to the lobby and every user's feed; then the
 * server must be back where it was after the warm-up, and no client may have lost, duplicated or
 * been given an event it should not have. Each path adds its section to {@code
 * target/reliability-soak.md}.
 */
class SoakTest {
  /** Users, and so cycles in flight at once: one worker thread each. */
  static final int USERS = 64;

  /** The publisher's pace: about 450 events/s, half to the lobby, half to the 64 feeds in turn. */
  private static final Duration INTERVAL = Duration.ofMillis(2);

  /**
   * Open descriptors the run may leave above the baseline. Once the hub holds no subscription every
   * stream's socket is closed on both sides; what may still differ is the class path: the JVM opens
   * a jar the first time it loads a class from it, and a path the warm-up did not take (a rare
   * failure's exception class) may load a class from a jar not opened yet. Eight allows for that; a
   * leak of one socket per thousand cycles is two thousand in the smoke.
   */
  static final int FD_TOLERANCE = 8;

  /**
   * The accepted connections' {@code SO_SNDBUF} (Linux doubles it: 64 KiB). Left to the kernel, it
   * grows towards {@code tcp_wmem}'s 4 MiB and swallows the whole 256 KiB event, and a client that
   * vanishes then breaks no write of the container's; with 64 KiB, most of the event is still in
   * the container when the client resets.
   */
  static final int SEND_BUFFER = 32 * 1024;

  /** Heap after GC may be at most this much above the baseline's (issue 19: within 5%). */
  static final double HEAP_TOLERANCE = 0.05;

  /**
   * The paths to run: all, unless the system property {@code ssekit.reliability.soak.ways} names
   * some ({@code SERVLET_ON_JETTY,SERVLET_ON_TOMCAT,JAXRS_ON_JERSEY}), to run a full soak of one.
   */
  static Stream<SoakServer.Way> ways() {
    String names = System.getProperty("ssekit.reliability.soak.ways", "").trim();
    if (names.isEmpty()) {
      return Stream.of(SoakServer.Way.values());
    }
    return Stream.of(names.split(",")).map(String::trim).map(SoakServer.Way::valueOf);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ways")
  void cyclesLeaveNothingBehindAndNoClientLosesOrGetsAForbiddenEvent(SoakServer.Way way)
      throws Exception {
    Scale scale = Scale.current();
    int cycles = scale.pick(2_000, 100_000);
    int warmUp = scale.pick(300, 3_000);
    long seed = 19_000L + way.ordinal();
    RunReport report = new RunReport("reliability-soak.md", "SoakTest: " + way);
    ServerLogs logs = ServerLogs.record();
    // The hub's close reason of each stream, for a cycle whose stream ended early (servlet only).
    StreamCloses closes = way.jaxrs() ? null : new StreamCloses();
    try (SoakServer server =
        SoakServer.start(
            way,
            () ->
                SseHub.builder()
                    .name("soak")
                    .keepAlive(Duration.ofSeconds(1))
                    .shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000))
                    .build(),
            SoakServer.SETTINGS.withSendBufferSize(SEND_BUFFER),
            closes)) {
      SoakTally warmTally = cycles(server, "w", warmUp, seed, closes);
      SoakCycles.fillBigTopics(server.hub(), USERS, 4);
      SoakCycles.fillSmallTopics(server.hub(), USERS);
      assertThat(StreamLeaks.awaitNone(server.hub())).as("after the warm-up").isEqualTo("none");
      Footprint baseline = Footprint.of(server.hub());
      long start = System.nanoTime();
      SoakTally tally = cycles(server, "p", cycles, seed + 1000, closes);
      long runMillis = (System.nanoTime() - start) / 1_000_000L;
      String leaks = StreamLeaks.awaitNone(server.hub());
      Footprint after = settle(server.hub(), baseline);
      double heapDrift = (double) (after.heapBytes() - baseline.heapBytes()) / baseline.heapBytes();
      // Every SEVERE record fails the run, Tomcat's asyncComplete() race among them (found in an
      // earlier soak, fixed in sse-servlet: see ErrorCompletionScenarios).
      List<String> severe = logs.errors();
      report
          .line("| cycles | clean close | TCP reset | stall, vanish | 256 KiB mid-write | 403 |")
          .line("|---|---|---|---|---|---|")
          .line(
              String.format(
                  Locale.ROOT,
                  "| %d in %.1f s (%d in flight) | %d | %d | %d | %d | %d |",
                  tally.cycles(),
                  runMillis / 1000.0,
                  USERS,
                  tally.cycles(SoakCycles.Kind.CLEAN_CLOSE),
                  tally.cycles(SoakCycles.Kind.TCP_RESET),
                  tally.cycles(SoakCycles.Kind.STALL_AND_VANISH),
                  tally.cycles(SoakCycles.Kind.MID_WRITE),
                  tally.cycles(SoakCycles.Kind.FORBIDDEN)))
          .line("")
          .line(
              String.format(
                  Locale.ROOT,
                  "resumed %d (%d of them after a broken 256 KiB write); events checked %d; lost %d;"
                      + " duplicated %d; forbidden events delivered %d (403 answers %d); unexpected"
                      + " gap notices %d; other faults %d; failed cycles %d",
                  tally.resumed.sum(),
                  tally.bigEventsResent.sum(),
                  tally.eventsChecked.sum(),
                  tally.lost.sum(),
                  tally.duplicated.sum(),
                  tally.forbiddenDelivered.sum(),
                  tally.forbiddenRefused.sum(),
                  tally.gapNotices.sum(),
                  tally.otherFaults.sum(),
                  tally.failedCycles.sum()))
          .line("")
          .line(
              String.format(
                  Locale.ROOT,
                  "baseline after %d warm-up cycles: %d subscriptions, %d ssekit threads (+ %d"
                      + " callback), %d fds, heap %s MiB after GC, %d threads; after the run: %d,"
                      + " %d (+ %d), %d, %s MiB (%+.1f%%), %d threads; leaks: %s",
                  warmTally.cycles(),
                  baseline.subscribers(),
                  baseline.ssekitThreads(),
                  baseline.callbackThreads(),
                  baseline.fds(),
                  baseline.heapMib(),
                  baseline.threads(),
                  after.subscribers(),
                  after.ssekitThreads(),
                  after.callbackThreads(),
                  after.fds(),
                  after.heapMib(),
                  heapDrift * 100,
                  after.threads(),
                  leaks))
          .line("")
          .line("SEVERE log records: " + severe.size() + (severe.isEmpty() ? "" : " " + severe));
      report.write();
      assertThat(warmTally.findings()).as("warm-up findings").isEmpty();
      assertThat(tally.findings()).as("findings").isEmpty();
      assertThat(tally.allFindings()).isZero();
      assertThat(tally.cycles()).isEqualTo(cycles);
      assertThat(tally.resumed.sum()).as("resumed streams").isPositive();
      assertThat(tally.forbiddenRefused.sum()).as("403 answers").isPositive();
      assertThat(leaks).isEqualTo(StreamLeaks.NONE);
      assertThat(after.subscribers()).as("subscriptions").isZero();
      assertThat(after.ssekitThreads())
          .as("ssekit threads")
          .isLessThanOrEqualTo(baseline.ssekitThreads());
      assertThat(after.callbackThreads())
          .as("the hub's callback threads")
          .isLessThanOrEqualTo(Footprint.CALLBACK_POOL_BOUND);
      assertThat(after.fds()).as("fds").isLessThanOrEqualTo(baseline.fds() + FD_TOLERANCE);
      assertThat(heapDrift).as("heap growth after GC").isLessThanOrEqualTo(HEAP_TOLERANCE);
      assertThat(severe).as("SEVERE log records").isEmpty();
    } finally {
      logs.close();
    }
  }

  /**
   * Runs {@code count} cycles under a publisher named {@code name}; its book is dropped on return,
   * so that it is not part of the heap measured after.
   */
  private static SoakTally cycles(
      SoakServer server, String name, int count, long seed, StreamCloses closes) throws Exception {
    PublishBook book = new PublishBook();
    Publisher publisher =
        new Publisher(name, server.hub(), SoakCycles.topics(USERS), INTERVAL, book);
    SoakTally tally = new SoakTally();
    try {
      new SoakCycles(server, publisher, book, tally, USERS, closes).run(count, seed);
    } finally {
      publisher.stop();
    }
    return tally;
  }

  /**
   * Waits up to 10 s for the descriptors and ssekit threads to come back to the baseline (the
   * server closes its side of the last connections a moment after the hub let them go), then
   * measures.
   */
  private static Footprint settle(SseHub hub, Footprint baseline) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Footprint now = Footprint.of(hub);
    while ((now.fds() > baseline.fds() + FD_TOLERANCE
            || now.ssekitThreads() > baseline.ssekitThreads())
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
      now = Footprint.of(hub);
    }
    return now;
  }
}
