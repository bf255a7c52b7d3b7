package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Named;
import org.ssekit.Authorizer;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopic;
import org.ssekit.jaxrs.SseTopics;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * One test's server: a hub, its streams of the {@code entry} query parameters on both adapters —
 * sse-servlet's {@link SseServlet} at {@code /servlet/*} and Jersey with {@link SseHubFeature} at
 * {@code /api/*} — both authorized by the same {@link JwtAuthorizer}, and the raw clients of the
 * test. Closing it closes the clients, the hub and the container, then checks that no hub thread
 * remains.
 */
final class JwtServer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** As sse-jaxrs's tests: 200 request threads (Jersey's resource calls), HTTP/1.1 only. */
  private static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("jwt-test", 200).withoutH2c();

  /** The two ways to a stream of a selection, by the servlet adapter and by the JAX-RS one. */
  enum Way {
    SERVLET("/servlet/entries?"),
    JAXRS("/api/entries?");

    private final String prefix;

    Way(String prefix) {
      this.prefix = prefix;
    }

    /** The request target of a stream of {@code entries}, plus {@code extraQuery} if not empty. */
    String target(String extraQuery, String... entries) {
      String query =
          Stream.of(entries)
              .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      return prefix + query + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
    }
  }

  /** Jetty 12.1 ee11 and Tomcat 11, both Servlet 6.1. */
  static Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jetty-ee11", () -> new JettyEe11Container(SETTINGS)),
        Named.of("tomcat-11", () -> new TomcatContainer(SETTINGS)));
  }

  final SseHub hub;
  private final TestContainer container;
  private final int port;
  private final List<RawSseClient> clients = new ArrayList<>();

  private JwtServer(SseHub hub, TestContainer container, int port) {
    this.hub = hub;
    this.container = container;
    this.port = port;
  }

  /**
   * Starts {@code factory}'s container with both ways authorized by {@code authorizer}. Streams
   * that expire or are revoked get a {@code retry:} of 1 to 2 s.
   */
  static JwtServer start(Supplier<TestContainer> factory, Authorizer authorizer) throws Exception {
    SseHub hub =
        SseHub.builder()
            .name("jwt")
            .shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000))
            .build();
    TestContainer container = factory.get();
    try {
      ResourceConfig application =
          new ResourceConfig(Entries.class)
              .register(SseHubFeature.builder(hub).authorizer(authorizer).build());
      container.startupServlet("/api/*", new ServletContainer(application));
      container.servlet("/servlet/*", new EntriesServlet(hub, authorizer));
      return new JwtServer(hub, container, container.start());
    } catch (Exception | Error e) {
      hub.close();
      container.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** Connects to {@code target} with {@code headers} and waits for the response's headers. */
  RawSseClient get(String target, Map<String, String> headers) throws Exception {
    RawSseClient client = connect(target, headers);
    assertThat(client.awaitHeaders(WAIT)).as("headers of %s", target).isTrue();
    return client;
  }

  /** Connects to {@code target} with {@code headers} and does not wait. */
  RawSseClient connect(String target, Map<String, String> headers) throws IOException {
    RawSseClient client = RawSseClient.get(port, target, headers);
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  /** Closes the clients this server has handed out so far and forgets them. */
  void closeClients() {
    synchronized (clients) {
      clients.forEach(RawSseClient::close);
      clients.clear();
    }
  }

  /** Publishes {@code data} on {@code topic} and returns the event's id. */
  String publish(String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get();
  }

  @Override
  public void close() throws Exception {
    closeClients();
    try {
      hub.close();
    } finally {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  /** Request headers in the order given: name, value, name, value... */
  static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  /**
   * The JAX-RS way: a resource that subscribes its sink to the {@code entry} parameters, and an
   * annotated one ({@code /api/entries/inbox/<user>}) of a user's inbox.
   */
  @Path("entries")
  public static class Entries {
    private final SseTopics topics;

    public Entries(@Context Configuration configuration) {
      this.topics = SseTopics.from(configuration);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void entries(@QueryParam("entry") List<String> entries, @Context SseEventSink sink) {
      Selection selection;
      try {
        selection = Selection.of(entries);
      } catch (IllegalArgumentException badEntry) {
        throw new WebApplicationException(
            Response.status(400).type("text/plain").entity(badEntry.getMessage()).build());
      }
      topics.subscribe(sink, selection);
    }

    @GET
    @Path("inbox/{user}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("users/{user}/inbox")
    public void inbox(@Context SseEventSink sink) {}
  }

  /** The servlet way: streams of the {@code entry} parameters, authorized by the authorizer. */
  static final class EntriesServlet extends SseServlet {
    private static final long serialVersionUID = 1L;
    private final transient Authorizer authorizer;

    EntriesServlet(SseHub hub, Authorizer authorizer) {
      super(hub);
      this.authorizer = authorizer;
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String[] entries = request.getParameterValues("entry");
      return entries == null
          ? Admission.refuse(400, "missing query parameter: entry")
          : Admission.accept(Selection.of(entries));
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return builder.authorizer(authorizer);
    }
  }
}
