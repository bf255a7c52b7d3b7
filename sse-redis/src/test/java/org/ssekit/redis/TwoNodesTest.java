package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.ssekit.CloseReason;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;

/** Two nodes (two hubs, each with its own Redis log) sharing one Redis. */
class TwoNodesTest extends SharedRedisTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @Override
  void beforeClosingNodes() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** An event as published: the id the log assigned and its data. */
  record Published(String id, String data) {}

  @Test
  void publishOnOneNodeReachesSubscribersOfBothNodesWithTheSameId() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onA = RecordingStream.open(a, "news", null);
    RecordingStream onB = RecordingStream.open(b, "news", null);

    ServerSentEvent event =
        ServerSentEvent.builder()
            .event("headline")
            .data("two\nlines")
            .retry(Duration.ofSeconds(3))
            .comment("not data")
            .build();
    String id = publish(a, "news", event);

    assertThat(id).matches("[0-9a-z]{8}:[0-9]+-[0-9]+");
    ReceivedEvent expected = new ReceivedEvent("headline", "two\nlines", id);
    assertThat(onA.awaitEvents(1)).containsExactly(expected);
    assertThat(onB.awaitEvents(1)).containsExactly(expected);
  }

  @Test
  void clientReconnectingToTheOtherNodeReceivesExactlyWhatItMissed() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream first = RecordingStream.open(a, "room", null);
    for (String data : List.of("e1", "e2", "e3")) {
      publish(a, "room", ServerSentEvent.of(data));
    }
    first.awaitData(List.of("e1", "e2", "e3"));
    String lastSeen = first.ids().get(1); // the client lost e3 in transit
    first.subscription().close();
    assertThat(first.awaitClose()).isEqualTo(CloseReason.UNSUBSCRIBED);
    publish(b, "room", ServerSentEvent.of("e4"));
    publish(a, "room", ServerSentEvent.of("e5"));

    RecordingStream again = RecordingStream.open(b, "room", lastSeen);
    publish(a, "room", ServerSentEvent.of("e6"));

    again.awaitData(List.of("e3", "e4", "e5", "e6"));
    assertThat(again.typedData()).allMatch(typed -> typed.startsWith("message:"));
  }

  @Test
  void concurrentPublishersOnBothNodesGiveEverySubscriberTheSameOrder() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    List<RecordingStream> streams =
        List.of(
            RecordingStream.open(a, "busy", null),
            RecordingStream.open(a, "busy", null),
            RecordingStream.open(b, "busy", null),
            RecordingStream.open(b, "busy", null));
    int perPublisher = 60;
    List<Published> published = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> publishers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      SseHub node = p % 2 == 0 ? a : b;
      String name = "p" + p;
      publishers.add(
          executor.submit(
              () -> {
                go.await();
                for (int n = 0; n < perPublisher; n++) {
                  String data = name + "-" + n;
                  published.add(
                      new Published(publish(node, "busy", ServerSentEvent.of(data)), data));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> publisher : publishers) {
      publisher.get(30, TimeUnit.SECONDS);
    }

    List<Published> inLogOrder = new ArrayList<>(published);
    inLogOrder.sort((x, y) -> compareIds(x.id(), y.id()));
    List<String> expectedIds = inLogOrder.stream().map(Published::id).toList();
    List<String> expectedData = inLogOrder.stream().map(Published::data).toList();
    for (RecordingStream stream : streams) {
      stream.awaitData(expectedData);
      assertThat(stream.ids()).isEqualTo(expectedIds);
    }
    for (int p = 0; p < 4; p++) {
      String prefix = "p" + p + "-";
      List<String> own = expectedData.stream().filter(data -> data.startsWith(prefix)).toList();
      List<String> inPublishOrder = new ArrayList<>();
      for (int n = 0; n < perPublisher; n++) {
        inPublishOrder.add(prefix + n);
      }
      assertThat(own).as("each publisher's events keep its order").isEqualTo(inPublishOrder);
    }
  }

  @Test
  void replayHandsOverToLiveWithoutGapOrDuplicateWhilePublishersOnBothNodesRace() throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    for (int round = 0; round < 12; round++) {
      String topic = "race-" + round;
      List<Published> published = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 4; i++) {
        String data = "base-" + i;
        published.add(new Published(publish(a, topic, ServerSentEvent.of(data)), data));
      }
      String lastEventId = published.get(1).id();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> publishers = new ArrayList<>();
      for (SseHub node : List.of(a, b)) {
        String name = node == a ? "a" : "b";
        publishers.add(
            executor.submit(
                () -> {
                  go.await();
                  for (int n = 0; n < 15; n++) {
                    String data = name + n;
                    published.add(
                        new Published(publish(node, topic, ServerSentEvent.of(data)), data));
                  }
                  return null;
                }));
      }
      go.countDown();
      // The first subscriber of the topic on node B: it follows the topic while events are
      // appended.
      RecordingStream stream = RecordingStream.subscribe(b, topic, lastEventId);
      for (Future<?> publisher : publishers) {
        publisher.get(30, TimeUnit.SECONDS);
      }

      List<Published> inLogOrder = new ArrayList<>(published);
      inLogOrder.sort((x, y) -> compareIds(x.id(), y.id()));
      List<String> expected =
          inLogOrder.subList(2, inLogOrder.size()).stream().map(Published::data).toList();
      stream.awaitData(expected);
      stream.subscription().close();
      stream.awaitClose();
    }
  }

  @Test
  void closingATopicOnOneNodeEndsItsStreamsOnEveryNodeAndLaterSubscribersAreRefused()
      throws Exception {
    SseHub a = nodes.node();
    SseHub b = nodes.node();
    RecordingStream onA = RecordingStream.open(a, "poll", null);
    RecordingStream onB = RecordingStream.open(b, "poll", null);
    publish(a, "poll", ServerSentEvent.of("final results"));

    a.closeTopic("poll").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(onA.awaitClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(onB.awaitClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
    assertThat(onB.data())
        .as("events before the closing are delivered first")
        .containsExactly("final results");
    for (SseHub node : List.of(a, b)) {
      RecordingStream later = RecordingStream.subscribe(node, "poll", null);
      assertThat(later.awaitClose()).isEqualTo(CloseReason.TOPIC_CLOSED);
      assertThat(later.writes()).as("refused before any write (transports answer 204)").isZero();
    }
    assertThatThrownBy(() -> publish(b, "poll", ServerSentEvent.of("late")))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("topic closed: poll");
  }

  @Test
  void nodeRestartLosesNothingThatRedisHolds() throws Exception {
    SseHub a = nodes.node();
    List<String> ids = new ArrayList<>();
    for (String data : List.of("e1", "e2", "e3")) {
      ids.add(publish(a, "log", ServerSentEvent.of(data)));
    }
    a.close();

    SseHub restarted = nodes.node();
    RecordingStream stream = RecordingStream.open(restarted, "log", ids.get(0));

    stream.awaitData(List.of("e2", "e3"));
    assertThat(stream.ids()).isEqualTo(ids.subList(1, 3));
  }

  private static String publish(SseHub hub, String topic, ServerSentEvent event)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<String> id = hub.publish(topic, event).toCompletableFuture();
    return id.get(5, TimeUnit.SECONDS);
  }

  /** Orders ids as Redis orders the entries: by the numbers after the epoch. */
  static int compareIds(String x, String y) {
    long[] first = entry(x);
    long[] second = entry(y);
    int byMs = Long.compare(first[0], second[0]);
    return byMs != 0 ? byMs : Long.compare(first[1], second[1]);
  }

  private static long[] entry(String id) {
    String entry = id.substring(id.indexOf(':') + 1);
    int dash = entry.indexOf('-');
    return new long[] {
      Long.parseLong(entry.substring(0, dash)), Long.parseLong(entry.substring(dash + 1))
    };
  }
}
