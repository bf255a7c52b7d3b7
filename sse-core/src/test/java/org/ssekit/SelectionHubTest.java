package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.RecordingTransport.Mode;

/** One stream, many topics: delivery, resume with one id, closed topics, and refusals. */
class SelectionHubTest {
  private final OpenHubs hubs = new OpenHubs();

  @AfterEach
  void tearDown() {
    hubs.close();
  }

  private static String publish(SseHub hub, String topic, String data) {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().join();
  }

  private static void awaitData(RecordingTransport transport, String data) {
    await().until(() -> transport.data().contains(data));
  }

  @Test
  void oneStreamReceivesEveryMatchingTopicOnceInPublishOrder() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    // rooms/lobby is matched by the exact entry and two selectors; users/42/x by one selector.
    Selection selection = Selection.of("rooms/lobby", "rooms/*", "*/lobby", "users/42/**");
    Subscription subscription = hub.subscribe(selection, null, transport, listener);
    listener.takeOpen();

    publish(hub, "rooms/lobby", "1");
    publish(hub, "rooms/kitchen", "2"); // a topic nobody named: created after the stream opened
    publish(hub, "users/42", "3");
    publish(hub, "users/43", "not mine");
    publish(hub, "rooms/lobby/sub", "not mine either");
    publish(hub, "users/42/orders/7", "4");
    publish(hub, "hall/lobby", "5");
    publish(hub, "end/mark", "ignored");
    hub.publish("rooms/end", ServerSentEvent.of("end")).toCompletableFuture().join();
    awaitData(transport, "end");

    assertThat(transport.data()).containsExactly("1", "2", "3", "4", "5", "end");
    assertThat(subscription.selection()).isEqualTo(selection);
    assertThat(subscription.topic()).isEqualTo("rooms/lobby, rooms/*, */lobby, users/42/**");
    assertThat(hub.subscriberCount("rooms/lobby")).isEqualTo(1);
    assertThat(hub.subscriberCount("rooms/kitchen")).isZero();
    transport.assertContractKept();
  }

  @Test
  void aSelectionOfOneTopicIsTheOneTopicStreamByteForByte() throws Exception {
    SseHub hub = hubs.build(hubs.builder().initialRetry(java.time.Duration.ofSeconds(2)));
    String first = publish(hub, "news", "a");
    publish(hub, "news", "b");
    RecordingTransport plain = new RecordingTransport(Mode.SYNC);
    RecordingTransport selected = new RecordingTransport(Mode.SYNC);
    Subscription one = hub.subscribe("news", first, plain, SseListener.NONE);
    Subscription viaSelection =
        hub.subscribe(Selection.topic("news"), first, selected, SseListener.NONE);
    publish(hub, "news", "c");
    awaitData(plain, "c");
    awaitData(selected, "c");

    assertThat(selected.text()).isEqualTo(plain.text());
    assertThat(viaSelection.topic()).isEqualTo(one.topic()).isEqualTo("news");
    assertThat(viaSelection.selection()).isEqualTo(Selection.topic("news"));
    assertThat(hub.subscriberCount("news")).isEqualTo(2);
  }

  @Test
  void oneLastEventIdResumesEveryTopicExactly() throws Exception {
    SseHub hub = hubs.build();
    Selection selection = Selection.of("a", "b/*");
    RecordingTransport first = new RecordingTransport(Mode.SYNC);
    Subscription subscription = hub.subscribe(selection, null, first, SseListener.NONE);
    await().until(() -> subscription.state() == Subscription.State.OPEN);
    publish(hub, "a", "a1");
    publish(hub, "b/1", "b1");
    String lastSeen = publish(hub, "c", "not mine");
    awaitData(first, "b1");
    String clientLastId = first.lastEventId();
    subscription.abort(new ClientGoneException("gone", null));
    publish(hub, "b/2", "b2");
    publish(hub, "a", "a2");
    publish(hub, "b/new", "b3");
    assertThat(lastSeen).isNotNull();

    RecordingTransport second = new RecordingTransport(Mode.SYNC);
    hub.subscribe(selection, clientLastId, second, SseListener.NONE);
    publish(hub, "a", "a3");
    awaitData(second, "a3");

    assertThat(second.data()).containsExactly("b2", "a2", "b3", "a3");
    second.assertContractKept();
  }

  @ParameterizedTest
  @EnumSource(names = {"MALFORMED", "FROM_ANOTHER_LOG", "VERY_LONG", "EVICTED"})
  void anIdTheLogCannotResolveGetsTheGapNoticeAndOtherStreamsAreUnaffected(
      ReplayTest.UnknownId kind) throws Exception {
    SseHub hub =
        hubs.build(
            hubs.builder().eventLog(EventLog.inMemory(Retention.builder().maxEvents(2).build())));
    RecordingTransport bystander = new RecordingTransport(Mode.SYNC);
    hub.subscribe(Selection.of("a", "b/*"), null, bystander, SseListener.NONE);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(publish(hub, "b/x", "x" + i));
    }
    publish(hub, "a", "a0");
    String lastEventId;
    switch (kind) {
      case MALFORMED:
        lastEventId = "not-an-id";
        break;
      case FROM_ANOTHER_LOG:
        lastEventId = publish(hubs.build(), "a", "elsewhere");
        break;
      case VERY_LONG:
        lastEventId = ids.get(3) + "0".repeat(7 * 1024);
        break;
      case EVICTED:
        lastEventId = ids.get(0); // b/x kept x2 and x3 only: x1 is lost
        break;
      default:
        throw new AssertionError(kind);
    }
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    hub.subscribe(Selection.of("a", "b/*"), lastEventId, transport, SseListener.NONE);
    publish(hub, "a", "live");
    awaitData(transport, "live");
    awaitData(bystander, "live");

    assertThat(transport.events())
        .extracting(e -> e.type() + ":" + e.data())
        .containsExactly(SseHub.GAP_EVENT_TYPE + ":unknown-last-event-id", "message:live");
    assertThat(bystander.data()).containsExactly("x0", "x1", "x2", "x3", "a0", "live");
  }

  @Test
  void anUnknownIdWithRetainedPolicyReplaysWhatEveryMatchingTopicRetains() throws Exception {
    SseHub hub =
        hubs.build(
            hubs.builder()
                .unknownIdPolicy(UnknownIdPolicy.NOTIFY_THEN_RETAINED)
                .eventLog(EventLog.inMemory(Retention.builder().maxEvents(2).build())));
    String lost = publish(hub, "b/x", "x0");
    publish(hub, "a", "a0");
    publish(hub, "b/x", "x1"); // evicted: the client's id is older, so it missed it
    publish(hub, "other", "o");
    publish(hub, "b/x", "x2");
    publish(hub, "b/x", "x3");
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    hub.subscribe(Selection.of("a", "b/*"), lost, transport, SseListener.NONE);
    publish(hub, "a", "live");
    awaitData(transport, "live");

    assertThat(transport.data()).containsExactly("unknown-last-event-id", "a0", "x2", "x3", "live");
  }

  @Test
  void closedTopicsLeaveTheStreamWhichEndsWithItsLastTopic() throws Exception {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        hub.subscribe(Selection.of("rooms/a", "rooms/b"), null, transport, listener);
    listener.takeOpen();
    hub.closeTopic("rooms/a").toCompletableFuture().join();
    publish(hub, "rooms/b", "still open");
    awaitData(transport, "still open");
    assertThat(subscription.state()).isEqualTo(Subscription.State.OPEN);

    hub.closeTopic("rooms/b").toCompletableFuture().join();

    assertThat(listener.takeClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(transport.awaitClose(5)).isEqualTo(CloseReason.TOPIC_CLOSED);
    listener.assertExhausted();
  }

  @Test
  void aSelectionNamingClosedTopicsOpensOnTheOthersOrEndsIfAllAreClosed() throws Exception {
    SseHub hub = hubs.build();
    hub.closeTopic("rooms/gone").toCompletableFuture().join();
    hub.closeTopic("rooms/gone2").toCompletableFuture().join();

    RecordingTransport mixed = new RecordingTransport(Mode.SYNC);
    RecordingListener mixedListener = new RecordingListener();
    hub.subscribe(Selection.of("rooms/gone", "rooms/open"), null, mixed, mixedListener);
    mixedListener.takeOpen();
    publish(hub, "rooms/open", "hello");
    awaitData(mixed, "hello");

    RecordingTransport allClosed = new RecordingTransport(Mode.SYNC);
    RecordingListener closedListener = new RecordingListener();
    hub.subscribe(Selection.of("rooms/gone", "rooms/gone2"), null, allClosed, closedListener);
    assertThat(closedListener.takeClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(allClosed.awaitClose(5)).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(allClosed.writesBeforeClose()).isZero();

    RecordingTransport selector = new RecordingTransport(Mode.SYNC);
    RecordingListener selectorListener = new RecordingListener();
    hub.subscribe(Selection.of("rooms/gone", "rooms/*"), null, selector, selectorListener);
    selectorListener.takeOpen();
    mixedListener.assertExhausted();
  }

  @Test
  void disconnectAllEndsSelectionStreamsThatNameTheTopic() throws Exception {
    SseHub hub = hubs.build();
    RecordingListener naming = new RecordingListener();
    RecordingListener matching = new RecordingListener();
    hub.subscribe(Selection.of("a", "b"), null, new RecordingTransport(Mode.SYNC), naming);
    hub.subscribe(Selection.of("c", "*"), null, new RecordingTransport(Mode.SYNC), matching);
    naming.takeOpen();
    matching.takeOpen();

    assertThat(hub.disconnectAll("a")).isEqualTo(1);
    assertThat(naming.takeClose()).isEqualTo(CloseReason.DISCONNECTED);
    matching.assertExhausted();
    await().until(() -> hub.stats().subscribers() == 1);
  }

  @Test
  void aLogWithoutSelectionsServesOneTopicAndRefusesSeveral() throws Exception {
    EventLog oneTopicOnly = new ForwardingLog(EventLog.inMemory());
    SseHub hub = hubs.build(hubs.builder().eventLog(oneTopicOnly));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);

    assertThatThrownBy(
            () -> hub.subscribe(Selection.of("a", "b"), null, transport, SseListener.NONE))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("serves one topic per stream");
    assertThat(hub.stats().subscribers()).isZero();
    RecordingListener listener = new RecordingListener();
    hub.subscribe(Selection.of("a"), null, transport, listener);
    listener.takeOpen();
    publish(hub, "a", "one");
    awaitData(transport, "one");
  }

  @Test
  void subscribingAfterCloseIsRefusedAndNullsAreNamed() {
    SseHub hub = hubs.build();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    assertThatThrownBy(() -> hub.subscribe((Selection) null, null, transport, SseListener.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("selection");
    assertThatThrownBy(() -> hub.subscribe(Selection.of("a", "b"), null, null, SseListener.NONE))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("transport");
    hub.close();
    assertThatThrownBy(
            () -> hub.subscribe(Selection.of("a", "b"), null, transport, SseListener.NONE))
        .isInstanceOf(SubscriptionRefusedException.class);
  }

  /** A log that supports one topic per stream only: every method but the selection ones. */
  private static final class ForwardingLog implements EventLog {
    private final EventLog delegate;

    ForwardingLog(EventLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public void start(Sink sink) {
      delegate.start(sink);
    }

    @Override
    public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
      return delegate.append(topic, event);
    }

    @Override
    public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
      return delegate.lookUpReplay(topic, lastEventId);
    }

    @Override
    public int compare(String a, String b) {
      return delegate.compare(a, b);
    }

    @Override
    public CompletionStage<Void> closeTopic(String topic) {
      return delegate.closeTopic(topic);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
