package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.testkit.RedisServer;

/**
 * Two nodes on one Redis; random selections over many topics, random publish orders from both nodes
 * and random reconnect points, each reconnect landing on the other node: every client, presenting
 * the id of the last event it received, gets exactly the events of its matching topics, each once,
 * in the log's order (so each topic's in its order). The core's property over the in-memory log,
 * here over sse-redis (fails, rather than skips, without redis-server).
 */
class SelectionPropertiesTest {
  private static final List<String> SEGMENTS = List.of("a", "b", "c");
  private static final List<String> TOPICS = topics();
  private static RedisServer redis;

  private static List<String> topics() {
    List<String> topics = new ArrayList<>();
    for (String first : SEGMENTS) {
      topics.add(first);
      for (String second : SEGMENTS) {
        topics.add(first + "/" + second);
        topics.add(first + "/" + second + "/x");
      }
    }
    return topics;
  }

  @BeforeContainer
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterContainer
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  /** One client: what it selects, its first node, after which publishes it reconnects. */
  record Client(List<String> entries, int node, Set<Integer> reconnectAfter) {}

  /** One publish: the topic's index and the node (0 or 1) it is published on. */
  record Publish(int topic, int node) {}

  /** The publishes, in order, and the clients. */
  record Scenario(List<Publish> publishes, List<Client> clients) {}

  /** An event as published. */
  record Published(String id, String topic, String data) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<String> exact = Arbitraries.of(TOPICS);
    Arbitrary<String> selector =
        Combinators.combine(
                Arbitraries.of("a", "b", "c", "*").list().ofMinSize(1).ofMaxSize(2),
                Arbitraries.of(true, false))
            .as(
                (segments, any) -> {
                  String path = String.join("/", segments);
                  return any ? path + "/**" : path;
                });
    Arbitrary<List<String>> entries =
        Arbitraries.oneOf(exact, exact, selector, Arbitraries.just("**"))
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    Arbitrary<Publish> publish =
        Combinators.combine(
                Arbitraries.integers().between(0, TOPICS.size() - 1),
                Arbitraries.integers().between(0, 1))
            .as(Publish::new);
    Arbitrary<Client> client =
        Combinators.combine(
                entries,
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 39).set().ofMaxSize(4))
            .as(Client::new);
    return Combinators.combine(
            publish.list().ofMinSize(1).ofMaxSize(40), client.list().ofMinSize(1).ofMaxSize(3))
        .as(Scenario::new);
  }

  @Property(tries = 50)
  void everyClientGetsExactlyItsEventsOnceInOrderAcrossReconnectsOnEitherNode(
      @ForAll("scenarios") Scenario scenario) throws Exception {
    try (Nodes nodes = new Nodes(redis)) {
      List<SseHub> hubs = List.of(nodes.node(), nodes.node());
      // Every connection presents an id, so that a client that drops before its first event still
      // resumes; a stream of one topic presents an id of its topic (the one-topic rule).
      List<Published> published = new ArrayList<>();
      for (Client client : scenario.clients()) {
        Selection selection = Selection.of(client.entries());
        String topic = selection.isSingleTopic() ? selection.topics().iterator().next() : "z";
        published.add(new Published(publish(hubs.get(0), topic, "base"), topic, "base"));
      }
      List<Connection> connections = new ArrayList<>();
      List<Integer> starts = new ArrayList<>();
      for (Client client : scenario.clients()) {
        Selection selection = Selection.of(client.entries());
        int start = published.size() - 1;
        if (selection.isSingleTopic()) {
          String topic = selection.topics().iterator().next();
          while (!published.get(start).topic().equals(topic)) {
            start--;
          }
        }
        starts.add(start);
        connections.add(new Connection(hubs, client.node(), selection, published.get(start).id()));
      }
      for (int i = 0; i < scenario.publishes().size(); i++) {
        Publish publish = scenario.publishes().get(i);
        String topic = TOPICS.get(publish.topic());
        String data = "e" + i;
        published.add(new Published(publish(hubs.get(publish.node()), topic, data), topic, data));
        for (int c = 0; c < connections.size(); c++) {
          if (scenario.clients().get(c).reconnectAfter().contains(i)) {
            connections.get(c).reconnectOnTheOtherNode();
          }
        }
      }

      for (int c = 0; c < connections.size(); c++) {
        Selection selection = Selection.of(scenario.clients().get(c).entries());
        List<Published> after =
            new ArrayList<>(published.subList(starts.get(c) + 1, published.size()));
        after.sort((x, y) -> TwoNodesTest.compareIds(x.id(), y.id()));
        List<String> expected =
            after.stream()
                .filter(event -> selection.matches(event.topic()))
                .map(event -> event.id() + " " + event.data())
                .toList();
        Connection connection = connections.get(c);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> connection.received().size() >= expected.size());
        assertThat(connection.received())
            .as("client %s selecting %s", c, selection)
            .isEqualTo(expected);
      }
    }
  }

  private static String publish(SseHub hub, String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  /** A client's successive connections, each on the other node, resuming with its last id. */
  private static final class Connection {
    private final List<SseHub> hubs;
    private final Selection selection;
    // What earlier connections received before they closed.
    private final List<String> earlier = new ArrayList<>();
    private int node;
    private String lastEventId;
    private RecordingStream stream;

    Connection(List<SseHub> hubs, int node, Selection selection, String baseId)
        throws InterruptedException {
      this.hubs = hubs;
      this.node = node;
      this.selection = selection;
      this.lastEventId = baseId;
      this.stream = RecordingStream.open(hubs.get(node), selection, lastEventId);
    }

    void reconnectOnTheOtherNode() throws InterruptedException {
      stream.subscription().close();
      stream.awaitClose();
      List<String> lines = lines(stream);
      earlier.addAll(lines);
      if (!lines.isEmpty()) {
        lastEventId = lines.get(lines.size() - 1).split(" ")[0];
      }
      node = 1 - node;
      stream = RecordingStream.open(hubs.get(node), selection, lastEventId);
    }

    List<String> received() {
      List<String> all = new ArrayList<>(earlier);
      all.addAll(lines(stream));
      return all;
    }

    private static List<String> lines(RecordingStream stream) {
      return stream.events().stream()
          .map(event -> event.lastEventId() + " " + event.data())
          .toList();
    }
  }
}
