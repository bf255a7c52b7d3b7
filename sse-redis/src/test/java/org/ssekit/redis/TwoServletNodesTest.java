package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.EventStreamParser;
import org.ssekit.ReceivedEvent;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/**
 * Two embedded Jetty servers, each an ssekit node on one Redis, and a browser-like client over
 * HTTP: it reconnects to the other server with the {@code Last-Event-ID} the first one gave it.
 */
@ExtendWith(RedisServer.Required.class)
class TwoServletNodesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static RedisServer redis;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final List<Server> servers = new ArrayList<>();
  private final List<Client> clients = new ArrayList<>();
  private Nodes nodes;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void setUp() {
    nodes = new Nodes(redis);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Client client : clients) {
      client.close();
    }
    if (nodes != null) {
      nodes.close(); // ends the streams, so that the servers stop at once
    }
    for (Server server : servers) {
      server.stop();
    }
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

  @Test
  void clientReconnectingToTheOtherServerWithItsLastEventIdReceivesExactlyWhatItMissed()
      throws Exception {
    SseHub hubA = nodes.node();
    SseHub hubB = nodes.node();
    int portA = serve(hubA);
    int portB = serve(hubB);

    Client first = connect(portA, "room", null);
    assertThat(first.status).isEqualTo(200);
    awaitSubscribers(hubA, "room", 1);
    hubA.publish("room", ServerSentEvent.of("e1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hubB.publish("room", ServerSentEvent.of("e2")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    ReceivedEvent e1 = first.next();
    ReceivedEvent e2 = first.next();
    assertThat(List.of(e1.data(), e2.data())).containsExactly("e1", "e2");
    first.close(); // the connection drops, as when a load balancer moves the client
    hubB.publish("room", ServerSentEvent.of("e3")).toCompletableFuture().get(5, TimeUnit.SECONDS);
    hubA.publish("room", ServerSentEvent.of("e4")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    Client again = connect(portB, "room", e2.lastEventId());
    hubA.publish("room", ServerSentEvent.of("e5")).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(again.status).isEqualTo(200);
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      received.add(again.next().data());
    }
    assertThat(received).containsExactly("e3", "e4", "e5");
    assertThat(again.poll(Duration.ofMillis(200))).as("nothing more").isNull();
  }

  @Test
  void topicClosedOnOneServerAnswers204OnTheOther() throws Exception {
    SseHub hubA = nodes.node();
    SseHub hubB = nodes.node();
    serve(hubA);
    int portB = serve(hubB);
    Client listening = connect(portB, "poll", null);
    awaitSubscribers(hubB, "poll", 1);

    hubA.closeTopic("poll").toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(listening.awaitEnd()).as("the stream on the other server ended").isTrue();
    Client late = connect(portB, "poll", null);
    assertThat(late.status).isEqualTo(204);
  }

  private int serve(SseHub hub) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("jetty-" + hub.config().name());
    Server server = new Server(threads);
    server.setStopTimeout(1000);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new TopicServlet(hub));
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/events");
    server.setHandler(context);
    servers.add(server);
    server.start();
    return connector.getLocalPort();
  }

  private static void awaitSubscribers(SseHub hub, String topic, int count) {
    org.awaitility.Awaitility.await()
        .atMost(TIMEOUT)
        .until(() -> hub.subscriberCount(topic) == count);
  }

  private Client connect(int port, String topic, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events?topic=" + topic))
            .header("Accept", "text/event-stream")
            .timeout(TIMEOUT);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    Client client = new Client(response);
    clients.add(client);
    return client;
  }

  /** A browser-like event-stream client: parses the response body on its own thread. */
  static final class Client implements AutoCloseable {
    final int status;
    private final InputStream body;
    private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    Client(HttpResponse<InputStream> response) {
      this.status = response.statusCode();
      this.body = response.body();
      EventStreamParser parser =
          new EventStreamParser(
              new EventStreamParser.Handler() {
                @Override
                public void onEvent(ReceivedEvent event) {
                  events.add(event);
                }
              });
      this.reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  for (int n; (n = body.read(buffer)) > 0; ) {
                    parser.feed(buffer, 0, n);
                  }
                } catch (IOException closed) {
                  // the test closed the stream
                }
              },
              "sse-client");
      reader.setDaemon(true);
      reader.start();
    }

    ReceivedEvent next() throws InterruptedException {
      ReceivedEvent event = poll(TIMEOUT);
      assertThat(event).as("an event within %s", TIMEOUT).isNotNull();
      return event;
    }

    ReceivedEvent poll(Duration timeout) throws InterruptedException {
      return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitEnd() throws InterruptedException {
      reader.join(TIMEOUT.toMillis());
      return !reader.isAlive();
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }
}
