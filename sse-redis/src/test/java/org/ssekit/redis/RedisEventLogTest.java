package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.internal.LoggedEvents;
import org.ssekit.testkit.RedisServer;

/**
 * The Redis log on its own, through the core's SPI: ids, replay, retention, closing and lifecycle.
 */
@ExtendWith(RedisServer.Required.class)
class RedisEventLogTest {
  private static final String ID = "[0-9a-z]{8}:[0-9]+-[0-9]+";
  private static RedisServer redis;
  private static RedisClient inspector;
  private static StatefulRedisConnection<String, String> inspection;
  private final List<EventLog> logs = new ArrayList<>();
  private final List<String> threadPrefixes = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
    inspector = RedisClient.create(redis.uri());
    inspection = inspector.connect();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (inspection != null) {
      inspection.close();
      inspector.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeLogs() {
    logs.forEach(EventLog::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> Nodes.liveThreads(threadPrefixes).isEmpty());
  }

  private static int count;

  private RedisEventLog.Builder builder() {
    count++;
    return RedisEventLog.builder(redis.uri())
        .name("log" + count)
        .keyPrefix("log" + count + ":")
        .commandTimeout(Duration.ofSeconds(5));
  }

  /** Builds and starts a log that is closed after the test. */
  private EventLog start(RedisEventLog.Builder builder, RecordingSink sink) {
    EventLog log = builder.build();
    logs.add(log);
    threadPrefixes.add("ssekit-redis-" + builder.toConfig().name() + "-");
    log.start(sink);
    return log;
  }

  private static LoggedEvent append(EventLog log, String topic, ServerSentEvent event)
      throws Exception {
    return log.append(topic, event).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Replay open(EventLog log, String topic, String lastEventId) throws Exception {
    return log.lookUpReplay(topic, lastEventId).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Returns the events with their ids: LoggedEvent has no equals, ServerSentEvent has. */
  private static List<ServerSentEvent> events(List<LoggedEvent> events) {
    return events.stream().map(LoggedEvent::event).toList();
  }

  private static List<String> data(List<LoggedEvent> events) {
    return events.stream().map(event -> event.event().data()).toList();
  }

  private static List<LoggedEvent> appendAll(EventLog log, String topic, int count)
      throws Exception {
    List<LoggedEvent> appended = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      appended.add(append(log, topic, ServerSentEvent.of("e" + i)));
    }
    return appended;
  }

  @Test
  void idsAreTheEpochAndTheStreamEntryIdAndCompareInAppendOrder() throws Exception {
    EventLog log = start(builder(), new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 3);

    assertThat(events).extracting(LoggedEvent::id).allMatch(id -> id.matches(ID));
    String epoch = events.get(0).id().substring(0, 8);
    assertThat(events).extracting(LoggedEvent::id).allMatch(id -> id.startsWith(epoch + ":"));
    assertThat(log.compare(events.get(0).id(), events.get(1).id())).isNegative();
    assertThat(log.compare(events.get(2).id(), events.get(1).id())).isPositive();
    assertThat(log.compare(events.get(1).id(), events.get(1).id())).isZero();
    // Numerically, not as text: 9 < 10.
    assertThat(log.compare(epoch + ":9-0", epoch + ":10-0")).isNegative();
    assertThat(log.compare(epoch + ":10-9", epoch + ":10-10")).isNegative();
  }

  @Test
  void openWithoutIdIsKnownWithTheNewestIdAsHead() throws Exception {
    EventLog log = start(builder(), new RecordingSink());
    assertThat(open(log, "t", null)).isEqualTo(Replay.known(List.of(), null));
    assertThat(open(log, "t", "whatever")).isEqualTo(Replay.unknown(List.of(), null));

    List<LoggedEvent> events = appendAll(log, "t", 2);

    assertThat(open(log, "t", null)).isEqualTo(Replay.known(List.of(), events.get(1).id()));
  }

  @Test
  void openAfterARetainedIdReplaysExactlyTheEventsAfterItWithEveryField() throws Exception {
    EventLog log = start(builder(), new RecordingSink());
    LoggedEvent first = append(log, "t", ServerSentEvent.of("first"));
    ServerSentEvent rich =
        ServerSentEvent.builder()
            .event("update")
            .data("line 1\nline 2\r\nline 3")
            .retry(Duration.ofMillis(2500))
            .comment("one")
            .comment("two\nlines")
            .build();
    LoggedEvent second = append(log, "t", rich);
    LoggedEvent third = append(log, "t", ServerSentEvent.of(""));

    Replay replay = open(log, "t", first.id());

    assertThat(replay.isKnown()).isTrue();
    assertThat(replay.headId()).isEqualTo(third.id());
    assertThat(replay.events())
        .extracting(LoggedEvent::event)
        .containsExactly(second.event(), third.event());
    assertThat(second.event()).isEqualTo(rich.toBuilder().id(second.id()).build());
    assertThat(LoggedEvents.encoded(replay.events().get(0)))
        .isEqualTo(LoggedEvents.encoded(second));
    assertThat(open(log, "t", third.id())).isEqualTo(Replay.known(List.of(), third.id()));
  }

  @Test
  void malformedIdsAndIdsOfAnotherEpochAreUnknown() throws Exception {
    EventLog log = start(builder(), new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 2);
    String entry = events.get(0).id().substring(9);
    String otherEpoch =
        (events.get(0).id().startsWith("a") ? "b" : "a") + events.get(0).id().substring(1);

    for (String id :
        List.of(
            "",
            "garbage",
            entry,
            "UPPER123:" + entry,
            events.get(0).id() + "x",
            events.get(0).id().replace("-", "-99999999999999999999"),
            otherEpoch,
            epochOf(events) + ":1-0")) {
      Replay replay = open(log, "t", id);
      assertThat(replay.isKnown()).as("id %s", id).isFalse();
      assertThat(events(replay.events())).as("retained for %s", id).isEqualTo(events(events));
      assertThat(replay.headId()).isEqualTo(events.get(1).id());
    }
  }

  private static String epochOf(List<LoggedEvent> events) {
    return events.get(0).id().substring(0, 8);
  }

  @Test
  void retentionByCountKeepsTheNewestEventsForReplay() throws Exception {
    EventLog log =
        start(builder().retention(Retention.builder().maxEvents(5).build()), new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 12);

    Replay fromFloor = open(log, "t", events.get(6).id());
    Replay tooOld = open(log, "t", events.get(5).id());

    assertThat(fromFloor.isKnown())
        .as("the newest evicted event is known: nothing after it is missing")
        .isTrue();
    assertThat(data(fromFloor.events())).containsExactly("e8", "e9", "e10", "e11", "e12");
    assertThat(tooOld.isKnown()).isFalse();
    assertThat(data(tooOld.events())).containsExactly("e8", "e9", "e10", "e11", "e12");
  }

  @Test
  void retentionByAgeForgetsOldEvents() throws Exception {
    EventLog log =
        start(
            builder().retention(Retention.builder().maxAge(Duration.ofMillis(300)).build()),
            new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 2);
    assertThat(data(open(log, "t", events.get(0).id()).events())).containsExactly("e2");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !open(log, "t", events.get(0).id()).isKnown());
    assertThat(open(log, "t", events.get(0).id()).events()).as("nothing is young enough").isEmpty();
    LoggedEvent third = append(log, "t", ServerSentEvent.of("e3"));

    Replay afterNewestEvicted = open(log, "t", events.get(1).id());
    assertThat(afterNewestEvicted.isKnown()).isTrue();
    assertThat(events(afterNewestEvicted.events())).containsExactly(third.event());
  }

  @Test
  void retentionByBytesKeepsWhatFits() throws Exception {
    long eventBytes =
        new LoggedEvent("t", "abcdefgh:1700000000000-0", ServerSentEvent.of("e1")).encodedLength();
    EventLog log =
        start(
            builder().retention(Retention.builder().maxBytes(2 * eventBytes).build()),
            new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 4);

    assertThat(open(log, "t", events.get(0).id()).isKnown()).isFalse();
    assertThat(data(open(log, "t", events.get(0).id()).events())).containsExactly("e3", "e4");
    assertThat(data(open(log, "t", events.get(1).id()).events())).containsExactly("e3", "e4");
    assertThat(open(log, "t", events.get(1).id()).isKnown()).isTrue();
  }

  @Test
  void redisTrimsStreamsApproximatelyAndLetsIdleTopicsExpire() throws Exception {
    RedisEventLog.Builder builder =
        builder()
            .retention(Retention.builder().maxEvents(5).build())
            .commandTimeout(Duration.ofSeconds(10));
    EventLog log = start(builder, new RecordingSink());
    List<CompletableFuture<LoggedEvent>> appends = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) { // pipelined, 100 at a time
      List<CompletableFuture<LoggedEvent>> inFlight = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        inFlight.add(
            log.append("busy", ServerSentEvent.of("e" + (batch * 100 + i))).toCompletableFuture());
      }
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      appends.addAll(inFlight);
    }

    RedisCommands<String, String> redisCommands = inspection.sync();
    String stream = builder.toConfig().keyPrefix() + "{busy}";
    assertThat(redisCommands.xlen(stream))
        .as("at least 1,000 kept for readers, trimmed in nodes of 100")
        .isBetween(1000L, 1200L);
    assertThat(redisCommands.pttl(stream))
        .as("an idle topic expires after max(maxAge, 1 min)")
        .isBetween(1L, Duration.ofMinutes(5).toMillis());
    assertThat(redisCommands.pttl(stream + ":m"))
        .as("its epoch and newest id are remembered for a day")
        .isBetween(Duration.ofHours(23).toMillis(), Duration.ofDays(1).toMillis());
    assertThat(open(log, "busy", appends.get(0).get().id()).events()).hasSize(5);
  }

  /**
   * Lets the time pass that makes {@code topic} idle (the one-minute minimum, with a margin): every
   * key of the topic that would expire within five minutes expires now, as Redis would expire it.
   */
  private static void expireEvents(RedisEventLog.Builder builder, String topic) {
    RedisCommands<String, String> redisCommands = inspection.sync();
    String stream = builder.toConfig().keyPrefix() + "{" + topic + "}";
    for (String key : List.of(stream, stream + ":m")) {
      long ttl = redisCommands.pttl(key);
      if (ttl > 0 && ttl <= Duration.ofMinutes(5).toMillis()) {
        redisCommands.pexpire(key, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> redisCommands.exists(key) == 0);
      }
    }
    assertThat(redisCommands.exists(stream)).as("the events expired").isZero();
  }

  @Test
  void anIdleTopicsNewestIdIsKnownAfterItsEventsExpiredAndAnOlderIdIsNot() throws Exception {
    RedisEventLog.Builder builder = builder();
    EventLog log = start(builder, new RecordingSink());
    List<LoggedEvent> events = appendAll(log, "t", 2);

    expireEvents(builder, "t");

    assertThat(open(log, "t", events.get(1).id()))
        .as("the newest id: nothing was missed")
        .isEqualTo(Replay.known(List.of(), events.get(1).id()));
    Replay older = open(log, "t", events.get(0).id());
    assertThat(older.isKnown()).as("e2 expired unread").isFalse();
    assertThat(older.events()).isEmpty();
    // On another node too: the state is in Redis.
    EventLog other =
        start(builder().keyPrefix(builder.toConfig().keyPrefix()), new RecordingSink());
    assertThat(open(other, "t", events.get(1).id()).isKnown()).isTrue();
  }

  @Test
  void aTopicPublishedToAgainAfterItsEventsExpiredReplaysEveryNewEventToTheNewestOldId()
      throws Exception {
    RedisEventLog.Builder builder = builder();
    EventLog log = start(builder, new RecordingSink());
    List<LoggedEvent> before = appendAll(log, "t", 2);
    expireEvents(builder, "t");

    LoggedEvent e3 = append(log, "t", ServerSentEvent.of("e3"));
    LoggedEvent e4 = append(log, "t", ServerSentEvent.of("e4"));

    assertThat(e3.id()).as("the same incarnation").startsWith(before.get(0).id().substring(0, 9));
    Replay resumed = open(log, "t", before.get(1).id());
    assertThat(resumed.isKnown()).isTrue();
    assertThat(data(resumed.events())).containsExactly("e3", "e4");
    assertThat(resumed.headId()).isEqualTo(e4.id());
    assertThat(open(log, "t", e3.id()).events())
        .extracting(LoggedEvent::id)
        .containsExactly(e4.id());
    assertThat(open(log, "t", before.get(0).id()).isKnown()).as("e2 expired unread").isFalse();

    // Expired again: the newest id of the second run of events is the one known now.
    expireEvents(builder, "t");
    LoggedEvent e5 = append(log, "t", ServerSentEvent.of("e5"));
    assertThat(data(open(log, "t", e4.id()).events())).containsExactly("e5");
    assertThat(open(log, "t", e4.id()).isKnown()).isTrue();
    assertThat(open(log, "t", before.get(1).id()).isKnown()).as("e3, e4 expired").isFalse();
    assertThat(open(log, "t", e5.id())).isEqualTo(Replay.known(List.of(), e5.id()));
  }

  @Test
  void eventsSinceTheNewestOldIdBeyondTheRetentionMakeItUnknown() throws Exception {
    RedisEventLog.Builder builder = builder().retention(Retention.builder().maxEvents(2).build());
    EventLog log = start(builder, new RecordingSink());
    LoggedEvent last = appendAll(log, "t", 1).get(0);
    expireEvents(builder, "t");
    appendAll(log, "t", 3);

    Replay replay = open(log, "t", last.id());

    assertThat(replay.isKnown()).isFalse();
    assertThat(data(replay.events())).containsExactly("e2", "e3");
  }

  @Test
  void aTopicForgottenWholeOrLostWithRedisDataStillMakesOldIdsUnknown() throws Exception {
    RedisEventLog.Builder builder = builder();
    EventLog log = start(builder, new RecordingSink());
    LoggedEvent last = appendAll(log, "t", 1).get(0);
    String prefix = builder.toConfig().keyPrefix();
    inspection.sync().del(prefix + "{t}", prefix + "{t}:m"); // the day is over, or Redis lost it

    assertThat(open(log, "t", last.id())).isEqualTo(Replay.unknown(List.of(), null));
    LoggedEvent again = append(log, "t", ServerSentEvent.of("again"));
    assertThat(again.id()).as("a new incarnation").doesNotStartWith(last.id().substring(0, 9));
    assertThat(open(log, "t", last.id()).isKnown()).isFalse();
  }

  @Test
  void closedTopicRefusesAppendsAndSubscribersOnEveryLogAndIsReportedAfterItsEvents()
      throws Exception {
    RecordingSink sink = new RecordingSink();
    RedisEventLog.Builder builder = builder().closedTopicTtl(Duration.ofMinutes(10));
    EventLog log = start(builder, sink);
    EventLog other =
        start(builder().keyPrefix(builder.toConfig().keyPrefix()), new RecordingSink());
    log.follow("t");
    open(log, "t", null);
    LoggedEvent last = append(log, "t", ServerSentEvent.of("last"));
    assertThat(((LoggedEvent) sink.take()).event()).isEqualTo(last.event());

    log.closeTopic("t").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(sink.take()).isEqualTo(new RecordingSink.Closed("t"));
    for (EventLog node : List.of(log, other)) {
      assertThat(open(node, "t", null).isTopicClosed()).isTrue();
      assertThat(open(node, "t", last.id()).isTopicClosed()).isTrue();
      assertThatThrownBy(() -> append(node, "t", ServerSentEvent.of("late")))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("topic closed: t");
    }
    long ttl = inspection.sync().pttl(builder.toConfig().keyPrefix() + "{t}:m");
    assertThat(ttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
    log.closeTopic("t").toCompletableFuture().get(5, TimeUnit.SECONDS); // closing again is harmless
    log.unfollow("t");
    sink.assertExhausted();
  }

  @Test
  void closedTopicIsForgottenAfterItsTtlAndStartsAnew() throws Exception {
    EventLog log = start(builder().closedTopicTtl(Duration.ofMillis(200)), new RecordingSink());
    LoggedEvent before = append(log, "t", ServerSentEvent.of("before"));
    log.closeTopic("t").toCompletableFuture().get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(5)).until(() -> !open(log, "t", null).isTopicClosed());
    LoggedEvent after = append(log, "t", ServerSentEvent.of("after"));

    assertThat(after.id().substring(0, 8))
        .as("a new epoch")
        .isNotEqualTo(before.id().substring(0, 8));
    Replay replay = open(log, "t", before.id());
    assertThat(replay.isKnown()).isFalse();
    assertThat(events(replay.events())).containsExactly(after.event());
  }

  @Test
  void everyAppendOfEveryTopicIsReportedInLogOrderBeforeTheAppendCompletes() throws Exception {
    RecordingSink sink = new RecordingSink();
    EventLog log = start(builder(), sink);
    open(log, "t", null);
    List<LoggedEvent> appended = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // Followed or not: a selector may match any topic, so the log reports them all.
      LoggedEvent event = append(log, i % 3 == 0 ? "t" : "other/" + i, ServerSentEvent.of("e" + i));
      assertThat(sink.appended())
          .as("reported before the append completed")
          .extracting(LoggedEvent::id)
          .endsWith(event.id());
      appended.add(event);
    }

    for (LoggedEvent event : appended) {
      LoggedEvent reported = (LoggedEvent) sink.take();
      assertThat(reported.id()).isEqualTo(event.id());
      assertThat(reported.topic()).isEqualTo(event.topic());
      assertThat(reported.event()).isEqualTo(event.event());
    }
    for (int i = 1; i < appended.size(); i++) {
      assertThat(log.compare(appended.get(i - 1).id(), appended.get(i).id()))
          .as("one order over all topics")
          .isNegative();
    }
    sink.assertExhausted();
  }

  @Test
  void selectionReplaysTheMatchingEventsAfterAKnownIdAndTheRetainedOnesOtherwise()
      throws Exception {
    EventLog log =
        start(builder().retention(Retention.builder().maxEvents(3).build()), new RecordingSink());
    Selection selection = Selection.of("x", "y/*");
    LoggedEvent first = append(log, "x", ServerSentEvent.of("x1"));
    append(log, "z", ServerSentEvent.of("z1"));
    LoggedEvent second = append(log, "x", ServerSentEvent.of("x2"));
    append(log, "y/1", ServerSentEvent.of("y1"));
    append(log, "y/1/deeper", ServerSentEvent.of("not selected"));
    LoggedEvent newest = append(log, "x", ServerSentEvent.of("x3"));

    Replay afterFirst = select(log, selection, first.id());
    assertThat(afterFirst.isKnown()).isTrue();
    assertThat(data(afterFirst.events())).containsExactly("x2", "y1", "x3");
    assertThat(afterFirst.headId()).isEqualTo(newest.id());
    assertThat(select(log, selection, newest.id()).events()).isEmpty();
    assertThat(select(log, selection, newest.id()).isKnown()).isTrue();
    assertThat(select(log, selection, null).events()).isEmpty();

    append(log, "x", ServerSentEvent.of("x4"));
    String epoch = first.id().substring(0, first.id().indexOf(':'));
    for (String unknown :
        List.of(
            first.id(), // known: x1 itself is evicted, but nothing after it
            "garbage",
            epoch + ":1-0",
            "k".repeat(7 * 1024),
            (epoch.equals("zzzzzzzz") ? "yyyyyyyy" : "zzzzzzzz")
                + second.id().substring(second.id().indexOf(':')))) {
      Replay replay = select(log, selection, unknown);
      if (unknown.equals(first.id())) {
        // x2, x3, x4 are x's 3 retained events: nothing after x1 was lost.
        assertThat(replay.isKnown()).isTrue();
        assertThat(data(replay.events())).containsExactly("x2", "y1", "x3", "x4");
        continue;
      }
      assertThat(replay.isKnown()).as(unknown.length() > 40 ? "7 KiB" : unknown).isFalse();
      assertThat(data(replay.events())).containsExactly("x2", "y1", "x3", "x4");
    }
    append(log, "x", ServerSentEvent.of("x5")); // evicts x2, which came after x1
    Replay evicted = select(log, selection, first.id());
    assertThat(evicted.isKnown()).isFalse();
    assertThat(data(evicted.events())).containsExactly("y1", "x3", "x4", "x5");
  }

  private static Replay select(EventLog log, Selection selection, String lastEventId)
      throws Exception {
    return log.lookUpReplay(selection, lastEventId).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void closeStopsEveryThreadAndLaterCallsFail() throws Exception {
    RedisEventLog.Builder builder = builder();
    EventLog log = start(builder, new RecordingSink());
    log.follow("t");
    open(log, "t", null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Nodes.liveThreads(List.of("ssekit-redis-" + builder.toConfig().name() + "-reader"))
                        .size()
                    == 1);

    log.close();
    log.close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Nodes.liveThreads(List.of("ssekit-redis-" + builder.toConfig().name() + "-"))
                    .isEmpty());
    assertThatThrownBy(() -> append(log, "t", ServerSentEvent.of("late")))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void buildFailsFastWhenRedisIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    RedisEventLog.Builder builder =
        RedisEventLog.builder("redis://127.0.0.1:" + closedPort)
            .name("unreachable")
            .commandTimeout(Duration.ofMillis(500));
    long startNanos = System.nanoTime();

    assertThatThrownBy(builder::build)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessage(
            "redis unreachable at 127.0.0.1:" + closedPort + ": cannot connect within 500 ms")
        .matches(e -> !((RedisUnavailableException) e).mayHaveBeenAppended());

    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(3));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Nodes.liveThreads(List.of("ssekit-redis-unreachable-")).isEmpty());
  }
}
