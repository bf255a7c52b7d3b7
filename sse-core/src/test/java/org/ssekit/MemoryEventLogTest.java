package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.internal.MemoryEventLog;

/**
 * The in-memory log through its SPI: ids, retention by count, bytes and age, and what it forgets.
 */
class MemoryEventLogTest {
  private final List<EventLog> logs = new ArrayList<>();

  /** A sink that records what the log reports. */
  static final class RecordingSink implements EventLog.Sink {
    final List<LoggedEvent> appended = Collections.synchronizedList(new ArrayList<>());
    final List<String> closed = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onAppended(LoggedEvent event) {
      appended.add(event);
    }

    @Override
    public void onTopicClosed(String topic) {
      closed.add(topic);
    }
  }

  private final RecordingSink sink = new RecordingSink();

  private MemoryEventLog start(Retention retention) {
    MemoryEventLog log = (MemoryEventLog) EventLog.inMemory(retention);
    log.start(sink);
    logs.add(log);
    return log;
  }

  @AfterEach
  void closeLogs() {
    logs.forEach(EventLog::close);
  }

  private static String append(EventLog log, String topic, String data) {
    return log.append(topic, ServerSentEvent.of(data)).toCompletableFuture().join().id();
  }

  private static Replay open(EventLog log, String topic, String lastEventId) {
    return log.lookUpReplay(topic, lastEventId).toCompletableFuture().join();
  }

  private static List<String> data(Replay replay) {
    return replay.events().stream().map(e -> e.event().data()).toList();
  }

  @Test
  void appendsAreReportedToTheSinkInIdOrderWithTheirIds() {
    MemoryEventLog log = start(Retention.defaults());
    String first = append(log, "t", "a");
    String second = append(log, "t", "b");

    assertThat(sink.appended).extracting(LoggedEvent::id).containsExactly(first, second);
    assertThat(sink.appended).extracting(e -> e.event().id()).containsExactly(first, second);
    assertThat(log.compare(first, second)).isNegative();
    assertThat(log.compare(second, first)).isPositive();
    assertThat(log.compare(first, first)).isZero();
    assertThat(open(log, "t", null)).isEqualTo(Replay.known(List.of(), second));
  }

  @Test
  void countBoundEvictsTheOldestEvents() {
    MemoryEventLog log = start(Retention.builder().maxEvents(3).build());
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> append(log, "t", "e" + i)).toList();

    Replay evicted = open(log, "t", ids.get(0));
    assertThat(evicted.isKnown()).isFalse();
    assertThat(data(evicted)).containsExactly("e2", "e3", "e4");
    Replay lastEvicted = open(log, "t", ids.get(1));
    assertThat(lastEvicted.isKnown()).isTrue();
    assertThat(data(lastEvicted)).containsExactly("e2", "e3", "e4");
    assertThat(lastEvicted.headId()).isEqualTo(ids.get(4));
  }

  @Test
  void byteBoundEvictsTheOldestEvents() {
    // Every event below encodes to the same size (one-digit sequence, same data length).
    MemoryEventLog probe = start(Retention.defaults());
    append(probe, "t", "e0");
    int size = sink.appended.get(0).encodedLength();
    MemoryEventLog log = start(Retention.builder().maxBytes(2L * size + size / 2).build());
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> append(log, "t", "e" + i)).toList();

    Replay replay = open(log, "t", ids.get(2));
    assertThat(replay.isKnown()).isTrue();
    assertThat(data(replay)).containsExactly("e3", "e4");
    assertThat(open(log, "t", ids.get(1)).isKnown()).isFalse();
  }

  @Test
  void zeroEventsKeepsNoHistoryButKnowsTheNewestId() {
    MemoryEventLog log = start(Retention.builder().maxEvents(0).build());
    String first = append(log, "t", "a");
    String second = append(log, "t", "b");

    assertThat(open(log, "t", second)).isEqualTo(Replay.known(List.of(), second));
    assertThat(open(log, "t", first).isKnown()).isFalse();
  }

  @Test
  void ageBoundEvictsOldEvents() {
    MemoryEventLog log = start(Retention.builder().maxAge(Duration.ofMillis(50)).build());
    String first = append(log, "t", "old");
    append(log, "t", "also old");
    assertThat(data(open(log, "t", first))).containsExactly("also old");

    await().atMost(Duration.ofSeconds(5)).until(() -> open(log, "t", first).events().isEmpty());
    assertThat(open(log, "t", first).isKnown()).isFalse();
  }

  @Test
  void expiredTopicsAreForgotten() {
    MemoryEventLog log = start(Retention.builder().maxAge(Duration.ofMillis(50)).build());
    int peak = 0;
    for (int i = 0; i < 100_000; i++) {
      append(log, "short-lived-" + i, "x");
      if (i % 1000 == 0) {
        peak = Math.max(peak, log.topicCount());
      }
    }
    // A purge may already have run (on a slow machine), but fresh topics are remembered until then.
    assertThat(Math.max(peak, log.topicCount())).isGreaterThan(1000);

    // The purge is throttled to once a second, and runs on appends and lookups.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              append(log, "trigger", "x");
              return log.topicCount() <= 1;
            });
  }

  @Test
  void closedTopicRefusesAppendsAndSubscribersAndIsReportedToTheSink() throws Exception {
    MemoryEventLog log = start(Retention.defaults());
    append(log, "t", "a");

    log.closeTopic("t").toCompletableFuture().get();

    assertThat(sink.closed).containsExactly("t");
    assertThat(open(log, "t", null).isTopicClosed()).isTrue();
    assertThatThrownBy(() -> log.append("t", ServerSentEvent.of("b")).toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(log.topicCount()).as("a refused append leaves no topic behind").isZero();
    assertThat(log.closedTopicCount()).isEqualTo(1);
  }

  @Test
  void closedTopicNamesAreBoundedOldestForgottenFirst() {
    MemoryEventLog log = start(Retention.builder().maxClosedTopics(3).build());
    for (int i = 0; i < 5; i++) {
      log.closeTopic("closed-" + i).toCompletableFuture().join();
    }

    assertThat(log.closedTopicCount()).isEqualTo(3);
    assertThat(open(log, "closed-0", null).isTopicClosed()).isFalse();
    assertThat(open(log, "closed-1", null).isTopicClosed()).isFalse();
    for (int i = 2; i < 5; i++) {
      assertThat(open(log, "closed-" + i, null).isTopicClosed()).isTrue();
    }
  }

  @Test
  void idsCarryTheEpochSoAnotherLogDoesNotKnowThem() {
    MemoryEventLog first = start(Retention.defaults());
    MemoryEventLog second = (MemoryEventLog) EventLog.inMemory();
    second.start(new RecordingSink());
    logs.add(second);
    String id = append(first, "t", "a");
    append(second, "t", "a");
    append(second, "t", "b");

    assertThat(first.epoch()).isNotEqualTo(second.epoch());
    assertThat(id).startsWith(first.epoch());
    Replay replay = open(second, "t", id);
    assertThat(replay.isKnown()).isFalse();
    assertThat(data(replay)).containsExactly("a", "b");
  }

  @Test
  void topicNeverPublishedToKnowsNoId() {
    MemoryEventLog log = start(Retention.defaults());
    String elsewhere = append(log, "other", "x");

    assertThat(open(log, "t", null)).isEqualTo(Replay.known(List.of(), null));
    assertThat(open(log, "t", elsewhere)).isEqualTo(Replay.unknown(List.of(), null));
  }

  @Test
  void lifecycleMisuseIsRefused() {
    MemoryEventLog log = (MemoryEventLog) EventLog.inMemory();
    logs.add(log);
    assertThatThrownBy(() -> log.append("t", ServerSentEvent.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
    log.start(sink);
    assertThatThrownBy(() -> log.start(sink))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    log.close();
    log.close();
    assertThatThrownBy(() -> log.append("t", ServerSentEvent.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> log.lookUpReplay("t", null)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLogServesOneHubOnly() {
    EventLog log = EventLog.inMemory();
    logs.add(log);
    try (SseHub hub = SseHub.builder().eventLog(log).build()) {
      assertThatThrownBy(() -> SseHub.builder().eventLog(log).build())
          .isInstanceOf(IllegalStateException.class);
      assertThat(hub.publish("t", ServerSentEvent.of("x")).toCompletableFuture()).isCompleted();
    }
  }

  /** Lets the log forget every idle topic but {@code trigger}, whose appends run the purge. */
  private static void awaitForgotten(MemoryEventLog log) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              append(log, "trigger", "x");
              return log.topicCount() <= 1;
            });
  }

  private static Replay open(EventLog log, Selection selection, String lastEventId) {
    return log.lookUpReplay(selection, lastEventId).toCompletableFuture().join();
  }

  @Test
  void theNewestIdOfAForgottenTopicIsStillKnownSoNoFalseGapNotice() {
    MemoryEventLog log = start(Retention.builder().maxAge(Duration.ofMillis(50)).build());
    String older = append(log, "t", "old");
    String newest = append(log, "t", "newest");
    String elsewhere = append(log, "u", "other topic");

    awaitForgotten(log);

    // Regression: a client that had t's newest event was told it missed something.
    assertThat(open(log, "t", newest).isKnown()).isTrue();
    assertThat(open(log, "t", newest).events()).isEmpty();
    // A later id of another topic missed nothing of t either; an older one of t did.
    assertThat(open(log, "t", elsewhere).isKnown()).isTrue();
    assertThat(open(log, "t", older).isKnown()).isFalse();
    assertThat(open(log, Selection.of("t"), newest).isKnown()).isTrue();
    assertThat(open(log, Selection.of("t/*", "t"), newest).isKnown()).isTrue();
    assertThat(open(log, Selection.of("t"), older).isKnown()).isFalse();
    assertThat(open(log, Selection.of("u", "t"), newest).isKnown())
        .as("u's event came after t's newest: this id missed it")
        .isFalse();
  }

  @Test
  void aForgottenTopicPublishedToAgainReplaysItsNewIncarnationToItsNewestOldId() {
    MemoryEventLog log = start(Retention.builder().maxAge(Duration.ofMillis(300)).build());
    String older = append(log, "t", "old");
    String newest = append(log, "t", "newest");
    awaitForgotten(log);

    append(log, "t", "again");

    assertThat(open(log, "t", newest).isKnown()).isTrue();
    assertThat(data(open(log, "t", newest))).containsExactly("again");
    assertThat(open(log, "t", older).isKnown()).isFalse();
    assertThat(open(log, Selection.of("t"), newest).isKnown()).isTrue();
    assertThat(data(open(log, Selection.of("t"), newest))).containsExactly("again");
    assertThat(open(log, Selection.of("t"), older).isKnown()).isFalse();
  }

  @Test
  void forgottenTopicsPastTheBoundAreRememberedConservatively() {
    MemoryEventLog log = start(Retention.builder().maxAge(Duration.ofMillis(50)).build());
    String first = append(log, "first", "x");
    awaitForgotten(log);
    for (int i = 0; i < 10_000; i++) {
      append(log, "t-" + i, "x");
    }
    awaitForgotten(log);
    String last = append(log, "last", "x");
    awaitForgotten(log);

    // "first", forgotten before the others, fell out of the remembered topics: its id is unknown
    // (a gap notice, never a silent loss).
    assertThat(open(log, "first", first).isKnown()).isFalse();
    assertThat(open(log, "last", last).isKnown()).isTrue();
    assertThat(open(log, Selection.of("**"), first).isKnown()).isFalse();
    assertThat(open(log, Selection.of("last", "first"), last).isKnown()).isTrue();
    assertThat(open(log, Selection.of("last"), last).isKnown()).isTrue();
  }
}
