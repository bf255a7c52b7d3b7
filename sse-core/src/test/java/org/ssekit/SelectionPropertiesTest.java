package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ssekit.RecordingTransport.Mode;
import org.ssekit.client.ReceivedEvent;

/**
 * Random selections over many topics, random publish orders and random disconnect points: every
 * subscriber, reconnecting with the id of the last event it received, gets exactly the events of
 * its matching topics, each once, in the log's order (so each topic's in its order).
 */
class SelectionPropertiesTest {
  private static final List<String> SEGMENTS = List.of("a", "b", "c");
  private static final List<String> TOPICS = topics();

  private static List<String> topics() {
    List<String> topics = new ArrayList<>();
    for (String first : SEGMENTS) {
      topics.add(first);
      for (String second : SEGMENTS) {
        topics.add(first + "/" + second);
        for (String third : SEGMENTS) {
          topics.add(first + "/" + second + "/" + third);
        }
      }
    }
    return topics;
  }

  /** One client: what it selects, and after which publishes it drops its connection. */
  record Client(List<String> entries, Set<Integer> disconnectAfter) {}

  /** The topics published to, in order, and the clients. */
  record Scenario(List<Integer> publishes, List<Client> clients) {}

  /** An event as published. */
  record Published(String id, String topic, String data) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<String> exact = Arbitraries.of(TOPICS);
    Arbitrary<String> selector =
        Combinators.combine(
                Arbitraries.of("a", "b", "c", "*").list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(true, false))
            .as(
                (segments, any) -> {
                  String path = String.join("/", segments);
                  return any ? path + "/**" : path;
                });
    Arbitrary<List<String>> entries =
        Arbitraries.oneOf(exact, selector, Arbitraries.just("**")).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<Integer>> publishes =
        Arbitraries.integers().between(0, TOPICS.size() - 1).list().ofMinSize(1).ofMaxSize(60);
    Arbitrary<Client> client =
        Combinators.combine(entries, Arbitraries.integers().between(0, 59).set().ofMaxSize(4))
            .as(Client::new);
    return Combinators.combine(publishes, client.list().ofMinSize(1).ofMaxSize(4))
        .as(Scenario::new);
  }

  @Property(tries = 200)
  void everyClientGetsExactlyItsEventsOnceInOrderAcrossReconnects(
      @ForAll("scenarios") Scenario scenario) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (OpenHubs hubs = new OpenHubs()) {
      EventLog log = EventLog.inMemory(Retention.builder().maxEvents(10_000).build());
      SseHub hub = hubs.build(hubs.builder().eventLog(log).deliveryThreads(2));
      // Every connection presents an id, so that a client that drops before its first event
      // still resumes. A stream of one topic keeps the one-topic rule (an id must be its topic's),
      // so such a client starts from its own topic's base event; the others from the last base.
      List<Published> published = new ArrayList<>();
      for (Client client : scenario.clients()) {
        Selection selection = Selection.of(client.entries());
        String topic = selection.isSingleTopic() ? selection.topics().iterator().next() : "z";
        published.add(
            new Published(
                hub.publish(topic, ServerSentEvent.of("base")).toCompletableFuture().join(),
                topic,
                "base"));
      }
      String lastBase = published.get(published.size() - 1).id();
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
        connections.add(new Connection(hub, selection, published.get(start).id(), executor));
      }
      assertThat(lastBase).isNotNull();
      for (int i = 0; i < scenario.publishes().size(); i++) {
        String topic = TOPICS.get(scenario.publishes().get(i));
        String data = "e" + i;

        published.add(
            new Published(
                hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().join(),
                topic,
                data));
        for (int c = 0; c < connections.size(); c++) {
          if (scenario.clients().get(c).disconnectAfter().contains(i)) {
            connections.get(c).reconnect();
          }
        }
      }

      for (int c = 0; c < connections.size(); c++) {
        Selection selection = Selection.of(scenario.clients().get(c).entries());
        List<String> expected =
            published.subList(starts.get(c) + 1, published.size()).stream()
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
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A client's successive connections, each resuming from the last event the previous got. */
  private static final class Connection {
    private final SseHub hub;
    private final Selection selection;
    private final ExecutorService executor;
    // What earlier connections received before they dropped: later bytes never reached the client.
    private final List<String> earlier = new ArrayList<>();
    private String lastEventId;
    private RecordingTransport transport;
    private Subscription subscription;

    Connection(SseHub hub, Selection selection, String baseId, ExecutorService executor) {
      this.hub = hub;
      this.selection = selection;
      this.executor = executor;
      this.lastEventId = baseId;
      connect();
    }

    private void connect() {
      transport = new RecordingTransport(Mode.EITHER, executor);
      subscription = hub.subscribe(selection, lastEventId, transport, SseListener.NONE);
    }

    /** Drops the connection wherever its writes are, and reconnects with the last id received. */
    void reconnect() {
      List<ReceivedEvent> events = transport.events();
      subscription.abort(new ClientGoneException("dropped", null));
      if (!events.isEmpty()) {
        lastEventId = events.get(events.size() - 1).lastEventId();
      }
      earlier.addAll(lines(events));
      connect();
    }

    /** Returns "id data" of every event received on every connection, in order. */
    List<String> received() {
      List<String> all = new ArrayList<>(earlier);
      all.addAll(lines(transport.events()));
      return all;
    }

    private static List<String> lines(List<ReceivedEvent> events) {
      return events.stream().map(event -> event.lastEventId() + " " + event.data()).toList();
    }
  }
}
