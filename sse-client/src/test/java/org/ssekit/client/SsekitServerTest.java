package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/** The client against a real ssekit server: sse-servlet on embedded Jetty (ee11). */
class SsekitServerTest {
  private SseHub hub;
  private Server jetty;
  private DroppingProxy proxy;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Recorder recorder = new Recorder();

  /** Streams the topic "t". */
  static final class TopicServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    TopicServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      return Admission.accept("t");
    }
  }

  @BeforeEach
  void startJetty() throws Exception {
    hub = SseHub.builder().build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new TopicServlet(hub));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/events");
    jetty.setHandler(context);
    jetty.start();
    proxy = new DroppingProxy(connector.getLocalPort());
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    proxy.close();
    hub.close();
    jetty.stop();
  }

  private String publish(String data) throws Exception {
    return hub.publish("t", ServerSentEvent.builder().data(data).build())
        .toCompletableFuture()
        .get();
  }

  @Test
  void reconnectionWithLastEventIdResumesExactlyWithoutGapOrDuplicate() throws Exception {
    EventSource source =
        EventSource.builder(URI.create("http://127.0.0.1:" + proxy.port() + "/events"))
            .reconnectPolicy(
                ReconnectPolicy.builder().reconnectionTime(Duration.ofMillis(100)).build())
            .connect(recorder);
    resources.add(source);
    assertThat(recorder.nextIgnoringComments()).isEqualTo("open");

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(publish("before " + i));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(recorder.nextIgnoringComments())
          .isEqualTo("event message " + ids.get(i) + " before " + i);
    }

    proxy.dropAll();
    assertThat(recorder.nextIgnoringComments()).startsWith("error ");
    // Published while the client is away: the hub's log replays them after Last-Event-ID.
    for (int i = 0; i < 5; i++) {
      ids.add(publish("during " + i));
    }
    assertThat(recorder.nextIgnoringComments()).isEqualTo("open");
    for (int i = 0; i < 5; i++) {
      assertThat(recorder.nextIgnoringComments())
          .isEqualTo("event message " + ids.get(5 + i) + " during " + i);
    }
    String live = publish("live");
    assertThat(recorder.nextIgnoringComments()).isEqualTo("event message " + live + " live");
    assertThat(source.lastEventId()).isEqualTo(live);
    source.close();
    assertThat(recorder.nextIgnoringComments()).isEqualTo("closed");
  }

  @Test
  void iteratorReadsALiveStreamFromTheServer() throws Exception {
    try (EventIterator events =
        EventSource.builder(URI.create("http://127.0.0.1:" + proxy.port() + "/events"))
            .iterator()) {
      // The subscription exists once the stream is open; publishing earlier would be replayed.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> events.source().readyState() == EventSource.ReadyState.OPEN);
      String id = publish("{\"token\":\"hi\"}");
      assertThat(events.next().data()).isEqualTo("{\"token\":\"hi\"}");
      assertThat(events.source().lastEventId()).isEqualTo(id);
    }
  }
}
