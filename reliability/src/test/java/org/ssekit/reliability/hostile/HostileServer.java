package org.ssekit.reliability.hostile;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.function.Supplier;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.Authorizer;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.reliability.EntriesResource;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * One container (Jetty 12.1 ee11 or Tomcat 11) serving one hub through both adapters, each open and
 * behind a {@link ForgedTokens#authorizer() JwtAuthorizer}: streams of the {@code entry} query
 * parameters at {@code /servlet/open}, {@code /servlet/jwt} (sse-servlet's {@link SseServlet}),
 * {@code /api/entries} and {@code /apijwt/entries} (Jersey with {@link SseHubFeature}). A bad entry
 * is answered {@code 400} with the {@link Selection} rule's message on both adapters, as the
 * adapters' READMEs tell applications to do.
 *
 * <p>The hub sends a keep-alive every second, so that streams of clients that vanished are found
 * and removed within seconds (the leak check waits for that), and bounds each subscriber's queue at
 * {@value #MAX_QUEUED_BYTES} bytes.
 *
 * <p><b>Thread safety:</b> confined to the test thread, except {@link #publish}, which any thread
 * may call.
 */
final class HostileServer implements AutoCloseable {
  /** Each subscriber's queue bound: small, so that a thousand stalled streams stay cheap. */
  static final int MAX_QUEUED_BYTES = 64 * 1024;

  /** As sse-jaxrs's tests: 200 request threads (Jersey's resource calls), HTTP/1.1 only. */
  private static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("hostile", 200).withoutH2c();

  /** The two containers of the suite, both Servlet 6.1. */
  enum Kind {
    JETTY("jetty-ee11", () -> new JettyEe11Container(SETTINGS)),
    TOMCAT("tomcat-11", () -> new TomcatContainer(SETTINGS));

    private final String label;
    private final Supplier<TestContainer> factory;

    Kind(String label, Supplier<TestContainer> factory) {
      this.label = label;
      this.factory = factory;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  final SseHub hub;
  final Kind kind;
  private final TestContainer container;
  private final int port;

  private HostileServer(SseHub hub, Kind kind, TestContainer container, int port) {
    this.hub = hub;
    this.kind = kind;
    this.container = container;
    this.port = port;
  }

  /** Starts {@code kind}'s container with both adapters, each open and behind the JWT check. */
  static HostileServer start(Kind kind) throws Exception {
    SseHub hub =
        SseHub.builder()
            .name("hostile")
            .keepAlive(Duration.ofSeconds(1))
            .maxQueuedBytes(MAX_QUEUED_BYTES)
            .shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000))
            .build();
    TestContainer container = kind.factory.get();
    try {
      Authorizer jwt = ForgedTokens.authorizer();
      container.startupServlet(
          "/api/*",
          new ServletContainer(
              new ResourceConfig(EntriesResource.class).register(SseHubFeature.of(hub))));
      container.startupServlet(
          "/apijwt/*",
          new ServletContainer(
              new ResourceConfig(EntriesResource.class)
                  .register(SseHubFeature.builder(hub).authorizer(jwt).build())));
      container.servlet("/servlet/open", new EntriesServlet(hub, null));
      container.servlet("/servlet/jwt", new EntriesServlet(hub, jwt));
      return new HostileServer(hub, kind, container, container.start());
    } catch (Exception | Error e) {
      hub.close();
      container.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** Publishes {@code data} on {@code topic}; the stage completes with the event's id. */
  void publish(String topic, String data) {
    hub.publish(topic, ServerSentEvent.of(data));
  }

  @Override
  public void close() throws Exception {
    try {
      hub.close();
    } finally {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  /** The servlet way: a stream of the {@code entry} parameters, or 400 naming the rule. */
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
      if (entries == null) {
        return Admission.refuse(400, "missing query parameter: entry");
      }
      try {
        return Admission.accept(Selection.of(entries));
      } catch (IllegalArgumentException badEntry) {
        return Admission.refuse(400, badEntry.getMessage());
      }
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return authorizer == null ? builder : builder.authorizer(authorizer);
    }
  }
}
