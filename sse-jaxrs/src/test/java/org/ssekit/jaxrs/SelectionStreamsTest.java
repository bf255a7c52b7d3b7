package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * Streams of several topics and selectors through JAX-RS: {@code @SseTopic} with path and query
 * placeholders, and {@link SseTopics#subscribe}; on Jersey in Jetty 12.1 and Tomcat 11 (the servlet
 * write path) and on Grizzly (the sink write path).
 */
class SelectionStreamsTest extends FixtureTest {
  /** Where the application runs. */
  enum Server {
    JETTY,
    TOMCAT,
    GRIZZLY;

    Fixture start(UnaryOperator<SseHub.Builder> configuration) {
      switch (this) {
        case JETTY:
          return Fixture.start(TestServer.Kind.JETTY, configuration);
        case TOMCAT:
          return Fixture.start(TestServer.Kind.TOMCAT, configuration);
        default:
          return Fixture.startWithoutServlet(configuration);
      }
    }
  }

  /** The annotated stream of {@code rooms/a}, {@code rooms/b} and {@code users/42/**}. */
  private static final String ANNOTATED = "/api/select/users/42?room=a&room=b";

  /** The same selection, built by the resource method. */
  private static final String BUILT =
      "/api/select/entries?entry=rooms/a&entry=rooms/b&entry=users/42/**";

  /** The same selection through the servlet adapter. */
  private static final String SERVLET = "/servlet/x?entry=rooms/a&entry=rooms/b&entry=users/42/**";

  /** Every server, less the one without servlet container where the runtime has none. */
  static Stream<Server> servers() {
    return Stream.of(Server.values())
        .filter(server -> server != Server.GRIZZLY || Rows.withoutServlet("SelectionStreamsTest"));
  }

  static Stream<TestServer.Kind> containers() {
    return Stream.of(TestServer.Kind.values());
  }

  /** Publishes to matching and other topics; returns the matching events with their ids. */
  private List<ServerSentEvent> publishAround(int round) throws Exception {
    List<ServerSentEvent> matching = new ArrayList<>();
    String[] topics = {"rooms/a", "rooms/c", "users/42/inbox", "rooms/b", "users/4", "users/42"};
    for (String topic : topics) {
      ServerSentEvent event =
          ServerSentEvent.builder().event(topic).data(topic + "\n#" + round).build();
      String id = fixture.hub.publish(topic, event).toCompletableFuture().get();
      if (!topic.equals("rooms/c") && !topic.equals("users/4")) {
        matching.add(event.toBuilder().id(id).build());
      }
    }
    return matching;
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aMultiTopicStreamIsTheSameBytesOnTheServletAndBothJaxrsForms(TestServer.Kind kind)
      throws Exception {
    fixture = Fixture.start(kind);
    List<RawSseClient> clients =
        List.of(fixture.get(SERVLET), fixture.get(ANNOTATED), fixture.get(BUILT));
    for (RawSseClient client : clients) {
      assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
      assertThat(client.status()).isEqualTo(200);
    }
    await().atMost(TIMEOUT).until(() -> fixture.hub.stats().subscribers() == 3);
    List<ServerSentEvent> expected = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      expected.addAll(publishAround(round));
    }
    WireIdentity.assertEveryClientReceivedExactly(clients, expected, TIMEOUT);
  }

  /** The server without servlet container, where the runtime has one under test. */
  static Stream<Server> serversWithoutServlet() {
    return servers().filter(server -> server == Server.GRIZZLY);
  }

  // No invocation on a runtime without such a server: Rows.withoutServlet says so in the output.
  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("serversWithoutServlet")
  void withoutAServletContainerBothFormsAreTheSameBytesToo(Server server) throws Exception {
    fixture = server.start(builder -> builder);
    List<RawSseClient> clients = List.of(fixture.get(ANNOTATED), fixture.get(BUILT));
    for (RawSseClient client : clients) {
      assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
    }
    await().atMost(TIMEOUT).until(() -> fixture.hub.stats().subscribers() == 2);
    List<ServerSentEvent> expected = new ArrayList<>(publishAround(0));
    expected.addAll(publishAround(1));
    WireIdentity.assertEveryClientReceivedExactly(clients, expected, TIMEOUT);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void bothFormsStreamEveryTopicInItsOrderAndResumeWithOneLastEventId(Server server)
      throws Exception {
    fixture = server.start(builder -> builder);
    for (String target : List.of(ANNOTATED, BUILT)) {
      RawSseClient first = fixture.get(target);
      // The headers come after the stream joined the hub's index: what follows reaches it.
      assertThat(first.awaitHeaders(TIMEOUT)).as(target).isTrue();
      List<ServerSentEvent> published = new ArrayList<>(publishAround(0));
      List<ReceivedEvent> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seen.add(first.poll(TIMEOUT));
      }
      first.close();
      published.addAll(publishAround(1));
      String lastEventId = seen.get(2).lastEventId();
      RawSseClient second = fixture.get(target, Map.of("Last-Event-ID", lastEventId));
      for (ServerSentEvent missed : published.subList(3, published.size())) {
        ReceivedEvent event = second.poll(TIMEOUT);
        assertThat(event).as(target).isNotNull();
        assertThat(event.lastEventId()).isEqualTo(missed.id());
        assertThat(event.type()).isEqualTo(missed.event());
        assertThat(event.data()).isEqualTo(missed.data());
      }
      assertThat(second.poll(Duration.ofMillis(300))).as("nothing twice").isNull();
      second.close();
    }
  }

  @ParameterizedTest
  @MethodSource("servers")
  void badPlaceholdersAndTooLargeSelectionsAnswer400WithoutTouchingOtherStreams(Server server)
      throws Exception {
    fixture = server.start(builder -> builder.maxSelectionSize(3));
    RawSseClient other = fixture.get("/api/select/users/42?room=a");
    assertThat(other.awaitHeaders(TIMEOUT)).isTrue();
    Map<String, String> reasons =
        Map.of(
            "/api/select/users/42",
            "no value for {room} in @SseTopic \"rooms/{room}\": neither a path nor a query"
                + " parameter\n",
            "/api/select/users/42?room=a&room=x%0D%0AX-Injected:%201",
            "unexpected char 0x0d at 7 in selection entry 1",
            "/api/select/users/42?room=*",
            "{room} value has * at 0: wildcards come from the @SseTopic template, never from the"
                + " request\n",
            "/api/select/users/42?room=",
            "selection entry 0 has an empty segment at 6",
            "/api/select/users/42?room=a&room=b&room=c",
            "selection has more entries than maxSelectionSize=3: 4\n",
            "/api/select/entries?entry=a&entry=b&entry=c&entry=d",
            "selection has more entries than maxSelectionSize=3: 4\n");
    for (Map.Entry<String, String> bad : reasons.entrySet()) {
      RawSseClient client = fixture.get(bad.getKey());
      assertThat(client.awaitEnd(TIMEOUT)).as(bad.getKey()).isTrue();
      assertThat(client.status()).as(bad.getKey()).isEqualTo(400);
      assertThat(client.header("Content-Type")).as(bad.getKey()).startsWith("text/plain");
      assertThat(client.header("X-Injected")).isNull();
      assertThat(client.body()).as(bad.getKey()).startsWith(bad.getValue());
    }
    String id =
        fixture
            .hub
            .publish("rooms/a", ServerSentEvent.of("unaffected"))
            .toCompletableFuture()
            .get();
    assertThat(other.poll(TIMEOUT).lastEventId()).isEqualTo(id);
    assertThat(fixture.hub.stats().subscribers()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("servers")
  void aSelectionWhoseTopicsAreAllClosedAnswers204(Server server) throws Exception {
    fixture = server.start(builder -> builder);
    RawSseClient open = fixture.get("/api/select/entries?entry=rooms/a&entry=rooms/b");
    assertThat(open.awaitHeaders(TIMEOUT)).isTrue();
    fixture.hub.closeTopic("rooms/a").toCompletableFuture().get();
    fixture.hub.publish("rooms/b", ServerSentEvent.of("b")).toCompletableFuture().get();
    assertThat(open.poll(TIMEOUT).data()).isEqualTo("b");
    fixture.hub.closeTopic("rooms/b").toCompletableFuture().get();
    assertThat(open.awaitEnd(TIMEOUT)).isTrue();
    for (String target :
        List.of("/api/select/entries?entry=rooms/a&entry=rooms/b", "/api/rooms/closed")) {
      if (target.endsWith("closed")) {
        fixture.hub.closeTopic("room-closed").toCompletableFuture().get();
      }
      RawSseClient gone = fixture.get(target);
      assertThat(gone.awaitEnd(TIMEOUT)).as(target).isTrue();
      assertThat(gone.status()).as(target).isEqualTo(204);
    }
  }
}
