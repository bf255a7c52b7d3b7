package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.HubIdentity;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * Presence on the JAX-RS path ({@link SseTopics#subscribeWithPresence}) on Jersey in Jetty 12.1 and
 * Tomcat 11, users logged in by a servlet filter whose principal Jersey reports.
 */
class PresenceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("presence-test", 200).withoutH2c();

  private final List<RawSseClient> clients = new ArrayList<>();
  private SseHub hub;
  private TestContainer container;
  private int port;

  /** A room's stream; with {@code presence=1}, its presence events too. */
  @Path("rooms")
  public static class Rooms {
    private final SseTopics topics;

    public Rooms(@Context Configuration configuration) {
      this.topics = SseTopics.from(configuration);
    }

    @GET
    @Path("{room}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void room(
        @PathParam("room") String room,
        @QueryParam("presence") String presence,
        @Context SseEventSink sink) {
      Selection selection = Selection.topic("rooms/" + room);
      if ("1".equals(presence)) {
        topics.subscribeWithPresence(sink, selection);
      } else {
        topics.subscribe(sink, selection);
      }
    }
  }

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jersey-on-jetty-ee11", () -> new JettyEe11Container(SETTINGS)),
        Named.of("jersey-on-tomcat-11", () -> new TomcatContainer(SETTINGS)));
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(RawSseClient::close);
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  private void start(Supplier<TestContainer> factory) throws Exception {
    // A dropped connection is noticed at the next write: short keep-alives make it quick.
    hub =
        SseHub.builder()
            .presenceTopics(Selection.of("rooms/*"))
            .keepAlive(Duration.ofMillis(100))
            .build();
    ResourceConfig application = new ResourceConfig(Rooms.class).register(SseHubFeature.of(hub));
    container = factory.get();
    container.filter(new BasicLoginFilter(), true);
    container.startupServlet("/api/*", new ServletContainer(application));
    port = container.start();
  }

  private RawSseClient get(String path, String user) throws Exception {
    RawSseClient client =
        RawSseClient.get(
            port,
            path,
            user == null ? Map.of() : Map.of("Authorization", BasicLoginFilter.basic(user)));
    clients.add(client);
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(200);
    return client;
  }

  private static String presenceData(RawSseClient client) throws InterruptedException {
    ReceivedEvent event = client.poll(WAIT);
    assertThat(event).as("an event within %s", WAIT).isNotNull();
    assertThat(event.type()).isEqualTo(HubIdentity.PRESENCE_EVENT_TYPE);
    return event.data();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void usersWhoOpenAStreamJoinTheRoomAndLeaveWhenTheirLastStreamEnds(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    RawSseClient alice = get("/api/rooms/lobby", "alice");
    await().atMost(WAIT).until(() -> hub.members("rooms/lobby").equals(Set.of("alice")));

    RawSseClient watcher = get("/api/rooms/lobby?presence=1", "bob");
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"alice\"}"); // who was there
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"bob\"}");
    get("/api/rooms/lobby", null); // anonymous: not a member
    RawSseClient carol = get("/api/rooms/lobby", "carol");
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"carol\"}");
    RawSseClient deaf = get("/api/rooms/lobby", "dave");
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"dave\"}");
    assertThat(hub.members("rooms/lobby")).containsExactly("alice", "bob", "carol", "dave");

    carol.close();
    assertThat(presenceData(watcher)).isEqualTo("{\"leave\":\"carol\"}");
    alice.close();
    assertThat(presenceData(watcher)).isEqualTo("{\"leave\":\"alice\"}");
    assertThat(deaf.poll(Duration.ofMillis(200))).as("it did not ask").isNull();
    assertThat(hub.members("rooms/lobby")).containsExactly("bob", "dave");
  }
}
