package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;

/**
 * One stream of several topics and selectors through {@link SseServlet} and {@link
 * Admission#accept(org.ssekit.Selection)}, on every container that {@link #containers()} names: the
 * stream, its exact resume with one {@code Last-Event-ID}, and the {@code 400}s (each also asked
 * for with {@code Connection: close}, to see it end: {@link ClosingGet}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SelectionScenarios {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final List<RawSseClient> clients = new ArrayList<>();
  private SseHub hub;
  private TestContainer container;
  private int port;

  /** Returns the containers to run every scenario on. */
  protected abstract Stream<Named<Supplier<TestContainer>>> containers();

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(RawSseClient::close);
    clients.clear();
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  /**
   * Serves {@link SelectionServlet} at {@code /select} and {@link TopicServlet} at {@code /one}.
   */
  private void start(Supplier<TestContainer> factory, SseHub.Builder hubConfig) throws Exception {
    hub = hubConfig.build();
    container = factory.get();
    container.servlet("/select", new SelectionServlet(hub));
    container.servlet("/one", new TopicServlet(hub));
    port = container.start();
  }

  private RawSseClient select(String lastEventId, String... entries) throws Exception {
    Map<String, String> headers =
        lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
    RawSseClient client = RawSseClient.get(port, "/select?" + query(entries), headers);
    clients.add(client);
    return client;
  }

  /** Asks for a selection with {@code Connection: close}: the answer must end, and does here. */
  private ClosingGet selectUntilClosed(String... entries) throws Exception {
    return ClosingGet.get(port, "/select?" + query(entries), WAIT);
  }

  private static String query(String... entries) {
    return Stream.of(entries)
        .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private String publish(String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get();
  }

  /** Takes {@code count} events, failing if one does not come in time. */
  private static List<ReceivedEvent> take(RawSseClient client, int count) throws Exception {
    List<ReceivedEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).as("event %d of %d", i + 1, count).isNotNull();
      events.add(event);
    }
    return events;
  }

  private static List<String> data(List<ReceivedEvent> events) {
    return events.stream().map(ReceivedEvent::data).collect(Collectors.toList());
  }

  @ParameterizedTest
  @MethodSource("containers")
  void twoTopicsAndASelectorShareOneStreamInEachTopicsOrder(Supplier<TestContainer> factory)
      throws Exception {
    start(factory, SseHub.builder());
    RawSseClient client = select(null, "rooms/a", "rooms/b", "users/42/**");
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);

    // Interleaved over the three entries, a topic created after the stream opened included, and
    // topics that match nothing.
    Map<String, String> published = new LinkedHashMap<>();
    String[][] order = {
      {"rooms/a", "a1"}, {"rooms/c", "c1"}, {"rooms/b", "b1"}, {"users/42/inbox", "u1"},
      {"rooms/a", "a2"}, {"users/43/inbox", "x1"}, {"users/42", "u2"}, {"rooms/b", "b2"},
      {"users/42/inbox/urgent", "u3"}, {"rooms/a", "a3"}
    };
    for (String[] event : order) {
      String id = publish(event[0], event[1]);
      if (!event[1].startsWith("c") && !event[1].startsWith("x")) {
        published.put(event[1], id);
      }
    }
    List<ReceivedEvent> received = take(client, published.size());
    assertThat(data(received)).containsExactlyElementsOf(published.keySet());
    for (ReceivedEvent event : received) {
      assertThat(event.lastEventId()).isEqualTo(published.get(event.data()));
      assertThat(event.type()).isEqualTo("message");
    }
    assertThat(client.poll(Duration.ofMillis(300))).as("nothing of rooms/c or users/43").isNull();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void oneLastEventIdResumesEveryTopicExactly(Supplier<TestContainer> factory) throws Exception {
    start(factory, SseHub.builder());
    String[] entries = {"rooms/a", "rooms/b", "users/7/**"};
    String[] topics = {"rooms/a", "rooms/b", "users/7/inbox"};
    RawSseClient first = select(null, entries);
    assertThat(first.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String data = topics[i % 3] + "#" + i;
      publish(topics[i % 3], data);
      all.add(data);
    }
    List<ReceivedEvent> before = take(first, 5);
    String lastEventId = before.get(4).lastEventId();
    first.close();
    // Missed while away: on every topic, unevenly.
    for (int i = 9; i < 15; i++) {
      String data = topics[(i * 2) % 3] + "#" + i;
      publish(topics[(i * 2) % 3], data);
      all.add(data);
    }

    RawSseClient second = select(lastEventId, entries);
    List<ReceivedEvent> after = take(second, all.size() - 5);
    assertThat(data(after)).containsExactlyElementsOf(all.subList(5, all.size()));
    String live = publish("rooms/b", "live");
    assertThat(second.poll(WAIT).lastEventId()).isEqualTo(live);
    assertThat(second.poll(Duration.ofMillis(300))).as("nothing twice").isNull();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void selectionLargerThanTheHubAllowsAnswers400WithoutTouchingOtherStreams(
      Supplier<TestContainer> factory) throws Exception {
    start(factory, SseHub.builder().maxSelectionSize(3));
    RawSseClient other = select(null, "rooms/a", "rooms/b", "rooms/c");
    RawSseClient one = RawSseClient.get(port, "/one?topic=rooms/a");
    clients.add(one);
    assertThat(other.awaitHeaders(WAIT) && one.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 2);

    RawSseClient tooLarge = select(null, "rooms/a", "rooms/b", "rooms/c", "rooms/d");
    assertThat(tooLarge.awaitEnd(WAIT)).isTrue();
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.header("Content-Type")).isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(tooLarge.body())
        .isEqualTo("selection has more entries than maxSelectionSize=3: 4\n");
    ClosingGet closed = selectUntilClosed("rooms/a", "rooms/b", "rooms/c", "rooms/d");
    assertThat(closed.status()).isEqualTo(400);
    assertThat(closed.header("Content-Type")).isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(closed.body()).isEqualTo("selection has more entries than maxSelectionSize=3: 4\n");

    String id = publish("rooms/a", "still here");
    for (RawSseClient client : List.of(other, one)) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event.data()).isEqualTo("still here");
      assertThat(event.lastEventId()).isEqualTo(id);
    }
    assertThat(hub.stats().subscribers()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void badEntriesAreTheApplications400WithTheRuleTheyBreak(Supplier<TestContainer> factory)
      throws Exception {
    start(factory, SseHub.builder());
    RawSseClient other = select(null, "rooms/a", "rooms/*");
    assertThat(other.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    Map<String, String> reasons =
        Map.of(
            "rooms//a", "empty segment",
            "rooms/a\r\nX-Injected: 1", "0x0d",
            "**/rooms", "** must come last",
            "rooms/a*", "* and ** are whole segments");
    for (Map.Entry<String, String> bad : reasons.entrySet()) {
      RawSseClient client = select(null, "rooms/b", bad.getKey());
      assertThat(client.awaitEnd(WAIT)).isTrue();
      assertThat(client.status()).as(bad.getKey()).isEqualTo(400);
      assertThat(client.header("X-Injected")).isNull();
      assertThat(client.body()).as(bad.getKey()).contains("selection entry 1", bad.getValue());
    }
    // A bad name admitted by Admission.accept(String) is checked before the exchange goes async.
    RawSseClient emptyTopic = RawSseClient.get(port, "/one?topic=");
    clients.add(emptyTopic);
    assertThat(emptyTopic.awaitEnd(WAIT)).isTrue();
    assertThat(emptyTopic.status()).isEqualTo(400);
    assertThat(emptyTopic.body()).isEqualTo("topic must be 1-1024 chars: length 0\n");
    publish("rooms/z", "unaffected");
    assertThat(other.poll(WAIT).data()).isEqualTo("unaffected");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closedTopicsLeaveTheStreamAndAllClosedAnswers204(Supplier<TestContainer> factory)
      throws Exception {
    start(factory, SseHub.builder());
    RawSseClient client = select(null, "rooms/a", "rooms/b");
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    hub.closeTopic("rooms/a").toCompletableFuture().get();
    publish("rooms/b", "b goes on");
    assertThat(client.poll(WAIT).data()).isEqualTo("b goes on");

    RawSseClient mixed = select(null, "rooms/a", "rooms/b");
    assertThat(mixed.awaitHeaders(WAIT)).isTrue();
    assertThat(mixed.status()).isEqualTo(200);
    hub.closeTopic("rooms/b").toCompletableFuture().get();
    assertThat(client.awaitEnd(WAIT)).isTrue();
    assertThat(mixed.awaitEnd(WAIT)).isTrue();

    RawSseClient gone = select(null, "rooms/a", "rooms/b");
    assertThat(gone.awaitEnd(WAIT)).isTrue();
    assertThat(gone.status()).isEqualTo(204);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void hubLimitStillAnswers200WithOneRetryForASelection(Supplier<TestContainer> factory)
      throws Exception {
    start(factory, SseHub.builder().maxSubscribers(1).retryAfter(Duration.ofSeconds(4)));
    RawSseClient admitted = select(null, "rooms/a", "rooms/b");
    assertThat(admitted.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    RawSseClient refused = select(null, "rooms/a", "rooms/b");
    assertThat(refused.awaitEnd(WAIT)).isTrue();
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(refused.pollRetry(WAIT)).isBetween(2000L, 6000L);
    assertThat(refused.pendingEvents()).isZero();
    ClosingGet closed = selectUntilClosed("rooms/a", "rooms/b");
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.body()).matches("retry: \\d+\n\n");
    publish("rooms/b", "admitted still streams");
    assertThat(admitted.poll(WAIT).data()).isEqualTo("admitted still streams");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void logWithoutSelectionsAnswers400AndStillServesOneTopic(Supplier<TestContainer> factory)
      throws Exception {
    start(factory, SseHub.builder().eventLog(new OneTopicLog(EventLog.inMemory())));
    RawSseClient several = select(null, "rooms/a", "rooms/b");
    assertThat(several.awaitEnd(WAIT)).isTrue();
    assertThat(several.status()).isEqualTo(400);
    assertThat(several.body())
        .isEqualTo(
            "this server streams one topic per request: a selection of several is not served\n");
    ClosingGet closed = selectUntilClosed("rooms/a", "rooms/b");
    assertThat(closed.status()).isEqualTo(400);
    assertThat(closed.body())
        .isEqualTo(
            "this server streams one topic per request: a selection of several is not served\n");
    RawSseClient single = select(null, "rooms/a");
    assertThat(single.awaitHeaders(WAIT)).isTrue();
    publish("rooms/a", "one topic");
    assertThat(single.poll(WAIT).data()).isEqualTo("one topic");
  }

  /** A log that serves one topic per stream: every method but the selection ones delegated. */
  private static final class OneTopicLog implements EventLog {
    private final EventLog log;

    OneTopicLog(EventLog log) {
      this.log = log;
    }

    @Override
    public void start(Sink sink) {
      log.start(sink);
    }

    @Override
    public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
      return log.append(topic, event);
    }

    @Override
    public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
      return log.lookUpReplay(topic, lastEventId);
    }

    @Override
    public int compare(String a, String b) {
      return log.compare(a, b);
    }

    @Override
    public CompletionStage<Void> closeTopic(String topic) {
      return log.closeTopic(topic);
    }

    @Override
    public void follow(String topic) {
      log.follow(topic);
    }

    @Override
    public void unfollow(String topic) {
      log.unfollow(topic);
    }

    @Override
    public void close() {
      log.close();
    }
  }
}
