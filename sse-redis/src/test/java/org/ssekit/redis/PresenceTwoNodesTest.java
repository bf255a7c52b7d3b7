package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ssekit.HubIdentity;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;

/**
 * Presence across two nodes sharing one Redis: members merge, joins and leaves on one node are
 * announced on the other (once per principal, whatever its streams on either node), a node that
 * starts late learns who is there, and a node that stops renewing its lease loses its members
 * within the lease.
 */
class PresenceTwoNodesTest extends SharedRedisTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SseHub node(RedisEventLog log) {
    return nodes.node(log, hub -> hub.presenceTopics(Selection.of("rooms/*")));
  }

  private SseHub node() {
    return node(nodes.log().build());
  }

  private static RecordingStream open(SseHub hub, String topic, String principal, boolean listens)
      throws InterruptedException {
    RecordingStream stream = RecordingStream.open(hub, Selection.topic(topic), null);
    if (listens) {
      stream.subscription().receivePresence();
    }
    if (principal != null) {
      stream.subscription().attributeTo(principal);
    }
    return stream;
  }

  private static List<String> presence(RecordingStream stream) {
    List<String> data = new ArrayList<>();
    for (ReceivedEvent event : stream.events()) {
      if (HubIdentity.PRESENCE_EVENT_TYPE.equals(event.type())) {
        data.add(event.data());
      }
    }
    return data;
  }

  private static void awaitPresence(RecordingStream stream, String... expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(presence(stream)).containsExactly(expected));
  }

  @Test
  void joinsAndLeavesOnEitherNodeAreAnnouncedOnceAndMembersMerge() throws Exception {
    SseHub a = node();
    SseHub b = node();
    RecordingStream watcher = open(a, "rooms/a", null, true);

    RecordingStream aliceOnB = open(b, "rooms/a", "alice", false);
    awaitPresence(watcher, "{\"join\":\"alice\"}");
    RecordingStream aliceOnA = open(a, "rooms/a", "alice", false); // already there: no join
    open(a, "rooms/a", "bob", false);
    open(b, "rooms/b", "carol", false); // another room

    await().atMost(WAIT).until(() -> b.members("rooms/a").size() == 2);
    assertThat(a.members("rooms/a")).containsExactly("alice", "bob");
    assertThat(b.members("rooms/a")).containsExactly("alice", "bob");
    await().atMost(WAIT).until(() -> a.members("rooms/b").equals(Set.of("carol")));
    aliceOnB.subscription().close(); // still on A: no leave
    await().atMost(WAIT).until(() -> b.members("rooms/a").size() == 2);
    aliceOnA.subscription().close();

    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"join\":\"bob\"}", "{\"leave\":\"alice\"}");
    await().atMost(WAIT).until(() -> b.members("rooms/a").equals(Set.of("bob")));
    RecordingStream daveOnB = open(b, "rooms/a", "dave", false);
    awaitPresence(
        watcher,
        "{\"join\":\"alice\"}",
        "{\"join\":\"bob\"}",
        "{\"leave\":\"alice\"}",
        "{\"join\":\"dave\"}");
    daveOnB.subscription().close(); // a leave on the other node
    awaitPresence(
        watcher,
        "{\"join\":\"alice\"}",
        "{\"join\":\"bob\"}",
        "{\"leave\":\"alice\"}",
        "{\"join\":\"dave\"}",
        "{\"leave\":\"dave\"}");
  }

  @Test
  void aNodeThatStartsLateLearnsWhoIsThere() throws Exception {
    SseHub a = node();
    open(a, "rooms/a", "alice", false);

    SseHub late = node();
    RecordingStream watcher = open(late, "rooms/a", null, true);

    await().atMost(WAIT).until(() -> late.members("rooms/a").contains("alice"));
    awaitPresence(watcher, "{\"join\":\"alice\"}");
  }

  @Test
  void aNodeThatStopsRenewingLosesItsMembersWithinItsLease() throws Exception {
    Duration lease = Duration.ofMillis(900);
    SseHub a = node(nodes.log().presenceLease(lease).build());
    RedisEventLog logB = nodes.log().presenceLease(lease).build();
    SseHub b = node(logB);
    RecordingStream watcher = open(a, "rooms/a", null, true);
    open(b, "rooms/a", "alice", false);
    awaitPresence(watcher, "{\"join\":\"alice\"}");
    open(a, "rooms/a", "bob", false);
    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"join\":\"bob\"}");

    long diedNanos = System.nanoTime();
    logB.close(); // node B dies: no leave, no more renewals; its hub still holds alice's stream

    awaitPresence(watcher, "{\"join\":\"alice\"}", "{\"join\":\"bob\"}", "{\"leave\":\"alice\"}");
    Duration gone = Duration.ofNanos(System.nanoTime() - diedNanos);
    // The lease, plus a third of it until A's next renewal, plus scheduling slack.
    assertThat(gone).isLessThan(lease.multipliedBy(4).dividedBy(3).plusMillis(700));
    assertThat(a.members("rooms/a")).containsExactly("bob");
  }

  @Test
  void streamsOpenedAndClosedConcurrentlyOnBothNodesLeaveNoMemberBehindAndJoinsAlternate()
      throws Exception {
    SseHub a = node();
    SseHub b = node();
    RecordingStream watcher = open(a, "rooms/busy", null, true);
    ExecutorService executor = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> workers = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < 6; t++) {
        SseHub node = t % 2 == 0 ? a : b;
        int thread = t;
        workers.add(
            executor.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < 40; i++) {
                    RecordingStream stream =
                        open(node, "rooms/busy", "p" + ((thread + i) % 3), false);
                    stream.subscription().close();
                    stream.awaitClose();
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }

    await().atMost(WAIT).until(() -> a.members("rooms/busy").isEmpty());
    await().atMost(WAIT).until(() -> b.members("rooms/busy").isEmpty());
    Map<String, Boolean> inRoom = new HashMap<>();
    for (String data : presence(watcher)) {
      boolean join = data.startsWith("{\"join\"");
      String principal = data.substring(data.indexOf(':') + 2, data.length() - 2);
      assertThat(inRoom.getOrDefault(principal, false)).as(data).isNotEqualTo(join);
      inRoom.put(principal, join);
    }
    assertThat(inRoom).hasSize(3).allSatisfy((principal, present) -> assertThat(present).isFalse());
  }
}
