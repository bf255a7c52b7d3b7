package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.client.ReceivedEvent;

/**
 * Presence ({@link SseHub.Builder#presenceTopics}, {@link HubIdentity#members}, {@link
 * Subscription#receivePresence()}) on one hub, and as a hub applies what its log reports of other
 * nodes.
 */
class PresenceTest {
  private final OpenHubs hubs = new OpenHubs();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    hubs.close();
    executor.shutdownNow();
  }

  private SseHub hub(EventLog log) {
    SseHub.Builder builder = hubs.builder().presenceTopics(Selection.of("rooms/*"));
    return hubs.build(log == null ? builder : builder.eventLog(log));
  }

  private record Stream(Subscription subscription, RecordingTransport transport) {}

  private static Stream open(SseHub hub, Selection selection, String principal, boolean listens)
      throws Exception {
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    Subscription subscription = hub.subscribe(selection, null, transport, listener);
    listener.takeOpen();
    if (listens) {
      subscription.receivePresence();
    }
    if (principal != null) {
      subscription.attributeTo(principal);
    }
    return new Stream(subscription, transport);
  }

  private static Stream open(SseHub hub, String topic, String principal, boolean listens)
      throws Exception {
    return open(hub, Selection.topic(topic), principal, listens);
  }

  /** The data of the presence events the stream received. */
  private static List<String> presence(Stream stream) {
    List<String> data = new ArrayList<>();
    for (ReceivedEvent event : stream.transport().events()) {
      if (HubIdentity.PRESENCE_EVENT_TYPE.equals(event.type())) {
        assertThat(event.lastEventId()).as("presence events carry no id").isEmpty();
        data.add(event.data());
      }
    }
    return data;
  }

  private static void awaitPresence(Stream stream, String... expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(presence(stream)).containsExactly(expected));
  }

  @Test
  void aPrincipalJoinsWithItsFirstStreamAndLeavesWithItsLast() throws Exception {
    SseHub hub = hub(null);
    Stream watcher = open(hub, "rooms/a", null, true);
    Stream deaf = open(hub, "rooms/a", null, false);

    Stream alice1 = open(hub, "rooms/a", "alice", false);
    Stream alice2 = open(hub, Selection.of("rooms/a", "users/alice/**"), "alice", false);
    Stream bob = open(hub, "rooms/a", "bob", false);
    open(hub, "rooms/a", null, false); // anonymous: not a member

    assertThat(hub.members("rooms/a")).containsExactly("alice", "bob");
    alice1.subscription().close();
    assertThat(alice1.transport().awaitClose(5)).isEqualTo(CloseReason.UNSUBSCRIBED);
    assertThat(hub.members("rooms/a")).containsExactly("alice", "bob");
    alice2.subscription().close();
    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"join\":\"bob\"}", "{\"leave\":\"alice\"}");
    bob.subscription().abort(new ClientGoneException("gone", null));

    awaitPresence(
        watcher,
        "{\"join\":\"alice\"}",
        "{\"join\":\"bob\"}",
        "{\"leave\":\"alice\"}",
        "{\"leave\":\"bob\"}");
    assertThat(hub.members("rooms/a")).isEmpty();
    assertThat(hub.members("rooms/b")).isEmpty();
    assertThat(presence(deaf)).as("it did not ask").isEmpty();
    assertThatThrownBy(() -> hub.members("rooms/a").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aStreamThatAsksLateFirstReceivesTheCurrentMembersAsJoins() throws Exception {
    SseHub hub = hub(null);
    open(hub, "rooms/a", "carol", false);
    open(hub, "rooms/a", "alice", false);
    open(hub, "rooms/b", "bob", false);

    Stream watcher = open(hub, "rooms/a", "dave", true);
    watcher.subscription().receivePresence(); // again: no effect

    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"join\":\"carol\"}", "{\"join\":\"dave\"}");
  }

  @Test
  void onlyPresenceTopicsNamedExactlyMakeMembers() throws Exception {
    SseHub hub = hub(null);
    open(hub, "news", "alice", false);
    open(hub, Selection.of("rooms/*", "users/bob/**"), "bob", false); // a selector: no room

    assertThat(hub.members("rooms/x")).isEmpty();
    assertThatThrownBy(() -> hub.members("news"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic is not a presence topic (see SseHub.Builder.presenceTopics): news");
    assertThatThrownBy(() -> hubs.build(hubs.builder()).members("rooms/a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hub.members(null)).isInstanceOf(NullPointerException.class);
    assertThat(hub.config().presenceTopics()).contains(Selection.of("rooms/*"));
    assertThat(hub.config().toBuilder().toConfig().presenceTopics())
        .contains(Selection.of("rooms/*"));
  }

  @Test
  void aStreamOfSeveralPresenceTopicsIsToldWhichTopicAndNamesAreJsonEscaped() throws Exception {
    SseHub hub = hub(null);
    Stream watcher = open(hub, Selection.of("rooms/a", "rooms/b"), null, true);
    Stream single = open(hub, "rooms/b", null, true);

    open(hub, "rooms/b", "qu\"ote\\\n", false);

    awaitPresence(watcher, "{\"join\":\"qu\\\"ote\\\\\\n\",\"topic\":\"rooms/b\"}");
    awaitPresence(single, "{\"join\":\"qu\\\"ote\\\\\\n\"}");
  }

  @Test
  void aRevokedStreamLeavesAndARevokedAttributionNeverJoins() throws Exception {
    SseHub hub = hub(null);
    Stream watcher = open(hub, "rooms/a", null, true);
    open(hub, "rooms/a", "alice", false);

    assertThat(hub.closeStreamsOf("alice")).isEqualTo(1);
    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"leave\":\"alice\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.members("rooms/a").isEmpty());
  }

  /** A log that records what the hub tells it of presence, and hands out its sink. */
  private static final class PresenceLog implements EventLog {
    private final EventLog delegate = EventLog.inMemory();
    final Queue<String> changes = new ConcurrentLinkedQueue<>();
    volatile Sink sink;

    @Override
    public void start(Sink sink) {
      this.sink = sink;
      delegate.start(sink);
    }

    @Override
    public void presenceChanged(String topic, String principal, boolean present) {
      changes.add((present ? "+" : "-") + principal + "@" + topic);
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

  @Test
  void membersOfOtherNodesMergeWithLocalOnesAndAreAnnouncedOnlyWhenTheUnionChanges()
      throws Exception {
    PresenceLog log = new PresenceLog();
    SseHub hub = hub(log);
    Stream watcher = open(hub, "rooms/a", null, true);
    Stream alice = open(hub, "rooms/a", "alice", false);

    log.sink.onPresence("rooms/a", "alice", true); // alice on another node too: no join
    log.sink.onPresence("rooms/a", "carol", true);
    log.sink.onPresence("news", "carol", true); // not a presence topic: ignored
    assertThat(hub.members("rooms/a")).containsExactly("alice", "carol");
    alice.subscription().close(); // still on the other node: no leave
    assertThat(alice.transport().awaitClose(5)).isEqualTo(CloseReason.UNSUBSCRIBED);
    log.sink.onPresence("rooms/a", "alice", false);
    log.sink.onPresence("rooms/a", "carol", false);

    awaitPresence(
        watcher,
        "{\"join\":\"alice\"}",
        "{\"join\":\"carol\"}",
        "{\"leave\":\"alice\"}",
        "{\"leave\":\"carol\"}");
    assertThat(log.changes).containsExactly("+alice@rooms/a", "-alice@rooms/a");
    assertThat(hub.members("rooms/a")).isEmpty();
  }

  @Test
  void underContentionEachPrincipalsJoinsAndLeavesAlternateAndTheLogHearsThemInOrder()
      throws Exception {
    PresenceLog log = new PresenceLog();
    SseHub hub = hub(log);
    Stream watcher = open(hub, "rooms/a", null, true);
    int threads = 8;
    int perThread = 100;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          executor.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  String principal = "p" + ((thread + i) % 3);
                  Stream stream = open(hub, "rooms/a", principal, false);
                  stream.subscription().close();
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> hub.stats().subscribers() == 1);
    assertThat(hub.members("rooms/a")).isEmpty();
    Map<String, Boolean> inRoom = new HashMap<>();
    for (String data : presence(watcher)) {
      boolean join = data.startsWith("{\"join\"");
      String principal = data.substring(data.indexOf(':') + 2, data.length() - 2);
      assertThat(inRoom.getOrDefault(principal, false)).as(data).isNotEqualTo(join);
      inRoom.put(principal, join);
    }
    assertThat(inRoom).hasSize(3).allSatisfy((principal, present) -> assertThat(present).isFalse());
    Map<String, Boolean> told = new HashMap<>();
    for (String change : log.changes) {
      String principal = change.substring(1, change.indexOf('@'));
      boolean join = change.charAt(0) == '+';
      assertThat(told.getOrDefault(principal, false)).as(change).isNotEqualTo(join);
      told.put(principal, join);
    }
    assertThat(told).hasSize(3).allSatisfy((principal, present) -> assertThat(present).isFalse());
  }
}
