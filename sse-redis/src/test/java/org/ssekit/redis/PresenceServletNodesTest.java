package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ssekit.HubIdentity;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;

/**
 * Presence over HTTP on the servlet path (raw sockets, so that closing one drops the connection):
 * two embedded Jetty servers, each a node on one Redis, users logged in by the container ({@link
 * BasicLoginFilter}), and a stream that asks for presence with {@code ?presence=1} (its listener
 * calls {@link Subscription#receivePresence()} on open).
 */
class PresenceServletNodesTest extends SharedRedisTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final List<TestContainer> servers = new ArrayList<>();
  private final List<RawSseClient> clients = new ArrayList<>();

  @Override
  void beforeClosingNodes() {
    for (RawSseClient client : clients) {
      client.close();
    }
  }

  @Override
  void afterClosingNodes() throws Exception {
    for (TestContainer server : servers) {
      server.close();
    }
  }

  /** Streams the room named by {@code room}; with {@code presence=1}, presence events too. */
  static final class RoomServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    RoomServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String room = "rooms/" + request.getParameter("room");
      if (!"1".equals(request.getParameter("presence"))) {
        return Admission.accept(room);
      }
      return Admission.accept(
          room,
          new SseListener() {
            @Override
            public void onOpen(Subscription subscription) {
              subscription.receivePresence();
            }
          });
    }
  }

  @Test
  void loggedInUsersJoinAndLeaveARoomAcrossTwoServersAndAnonymousOnesDoNot() throws Exception {
    // A dropped connection is noticed at the next write: short keep-alives make it quick.
    UnaryOperator<SseHub.Builder> settings =
        hub -> hub.presenceTopics(Selection.of("rooms/*")).keepAlive(Duration.ofMillis(100));
    SseHub hubA = nodes.node(nodes.log().build(), settings);
    SseHub hubB = nodes.node(nodes.log().build(), settings);
    int portA = serve(hubA);
    int portB = serve(hubB);

    RawSseClient watcher = connect(portA, "lobby", "bob", true);
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"bob\"}"); // itself, once attributed
    RawSseClient aliceOnA = connect(portA, "lobby", "alice", false);
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"alice\"}");
    RawSseClient carolOnB = connect(portB, "lobby", "carol", false);
    assertThat(presenceData(watcher)).isEqualTo("{\"join\":\"carol\"}");
    connect(portB, "lobby", null, false); // anonymous: not a member
    RawSseClient aliceOnB = connect(portB, "lobby", "alice", false); // already in: no join

    await()
        .atMost(TIMEOUT)
        .until(() -> hubB.members("rooms/lobby").equals(Set.of("alice", "bob", "carol")));
    assertThat(hubA.members("rooms/lobby")).containsExactly("alice", "bob", "carol");
    aliceOnA.close(); // the connection drops; alice is still in on B
    carolOnB.close();
    assertThat(presenceData(watcher)).isEqualTo("{\"leave\":\"carol\"}");
    aliceOnB.close();
    assertThat(presenceData(watcher)).isEqualTo("{\"leave\":\"alice\"}");
    assertThat(watcher.poll(Duration.ofMillis(300))).as("nothing more").isNull();
    assertThat(hubA.members("rooms/lobby")).containsExactly("bob");
  }

  private int serve(SseHub hub) throws Exception {
    TestContainer server =
        new JettyEe11Container(
            ContainerSettings.DEFAULTS
                .withThreads("jetty-" + hub.config().name(), 16)
                .withoutH2c());
    servers.add(server);
    server.filter(new BasicLoginFilter(), true);
    server.servlet("/events", new RoomServlet(hub));
    return server.start();
  }

  private RawSseClient connect(int port, String room, String user, boolean presence)
      throws Exception {
    RawSseClient client =
        RawSseClient.get(
            port,
            "/events?room=" + room + (presence ? "&presence=1" : ""),
            user == null ? Map.of() : Map.of("Authorization", BasicLoginFilter.basic(user)));
    clients.add(client);
    assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
    assertThat(client.status()).isEqualTo(200);
    return client;
  }

  /** Returns the data of the next event, which must be a presence event. */
  private static String presenceData(RawSseClient client) throws InterruptedException {
    ReceivedEvent event = client.poll(TIMEOUT);
    assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
    assertThat(event.type()).isEqualTo(HubIdentity.PRESENCE_EVENT_TYPE);
    return event.data();
  }
}
