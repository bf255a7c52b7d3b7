package org.ssekit.micrometer;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;

/**
 * One hub served by a real Jetty 12 (ee11) on an ephemeral port at {@code /events?topic=...}, and
 * the raw clients of a test; {@link #close()} closes the clients, the hub and the server.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
final class JettyFixture implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final SseHub hub;
  private final TestContainer server;
  private final int port;
  private final List<RawSseClient> clients = new ArrayList<>();

  JettyFixture(SseHub hub) throws Exception {
    this.hub = hub;
    this.server =
        new JettyEe11Container(
            ContainerSettings.DEFAULTS.withThreads("jetty-metrics", 32).withoutH2c());
    server.servlet("/events", new TopicServlet(hub), true);
    this.port = server.start();
  }

  /** Opens a stream of {@code topic} and waits for its headers. */
  RawSseClient connect(String topic) throws Exception {
    return connect(topic, Map.of());
  }

  /**
   * Sends the request for a stream of {@code topic} with {@code headers}; the response starts once
   * the hub has looked up the client's {@code Last-Event-ID}.
   */
  RawSseClient request(String topic, Map<String, String> headers) throws Exception {
    RawSseClient client = RawSseClient.get(port, "/events?topic=" + topic, headers);
    clients.add(client);
    return client;
  }

  /** Opens a stream of {@code topic} with {@code headers} and waits for its headers. */
  RawSseClient connect(String topic, Map<String, String> headers) throws Exception {
    RawSseClient client = request(topic, headers);
    if (!client.awaitHeaders(TIMEOUT)) {
      throw new AssertionError("no response headers within " + TIMEOUT + " for " + topic);
    }
    return client;
  }

  /** Opens a stream of {@code topic} whose client never reads. */
  RawSseClient connectStalled(String topic) throws Exception {
    RawSseClient client = RawSseClient.stalled(port, "/events?topic=" + topic);
    clients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    for (RawSseClient client : clients) {
      client.close();
    }
    hub.close();
    server.close();
  }

  /** Streams the topic named by the {@code topic} query parameter. */
  static final class TopicServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    TopicServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      return Admission.accept(request.getParameter("topic"));
    }
  }
}
