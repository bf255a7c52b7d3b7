package org.ssekit.interop;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopic;

/**
 * sse-jaxrs on Jersey 4 ({@code @SseTopic} resource methods, {@code SseHubFeature}), in Jersey's
 * servlet container on embedded Jetty 12.1 ee11, HTTP/1.1. Refusal and the wrong content type are
 * plain JAX-RS responses, as an application writes them.
 *
 * <p>The JAX-RS API publishes only through the topic's log, which assigns every id, so the
 * scenarios that need an event without an id, or with an id of their own, are not applicable
 * ({@link #offers()} is null).
 */
final class JerseyPath implements ServerPath {
  private final SseHub hub = ServerPath.newHub("interop-jersey");
  private final RequestLog requests = new RequestLog();
  private Server server;

  @Override
  public String id() {
    return "jersey-jaxrs";
  }

  @Override
  public String displayName() {
    String jersey =
        Versions.ofMavenArtifact(
            ServletContainer.class, "org.glassfish.jersey.containers", "jersey-container-servlet");
    return "sse-jaxrs on Jersey " + jersey + " (Jetty " + Jetty.VERSION + " ee11)";
  }

  @Override
  public URI start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("interop-jersey");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder log = new FilterHolder(requests);
    log.setAsyncSupported(true);
    context.addFilter(log, "/*", EnumSet.of(DispatcherType.REQUEST));
    ResourceConfig application =
        new ResourceConfig(InteropResource.class).register(SseHubFeature.of(hub));
    ServletHolder jersey = new ServletHolder("jersey", new ServletContainer(application));
    jersey.setAsyncSupported(true);
    jersey.setInitOrder(1);
    context.addServlet(jersey, "/*");
    ServletHolder page = new ServletHolder(new InteropServlets.PageServlet());
    context.addServlet(page, "/page.html");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public SseHub hub() {
    return hub;
  }

  @Override
  public RequestLog requests() {
    return requests;
  }

  @Override
  public OpeningOffers offers() {
    return null;
  }

  @Override
  public void close() throws Exception {
    try {
      if (server != null) {
        server.stop();
      }
    } finally {
      hub.close();
    }
  }

  /** The scenario endpoints, as a JAX-RS application writes them. */
  @Path("/")
  public static final class InteropResource {
    /** The topic's stream: the client joins the topic named by the path. */
    @GET
    @Path("sse/{topic}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("{topic}")
    public void stream(@Context SseEventSink sink) {}

    /** Refuses every client with {@code 403}. */
    @GET
    @Path("refuse/{topic}")
    public Response refuse() {
      return Response.status(Response.Status.FORBIDDEN)
          .type(MediaType.TEXT_PLAIN_TYPE)
          .entity("interop: this endpoint refuses every client\n")
          .build();
    }

    /**
     * Answers {@code 200} with {@code text/plain} text that would be an event in an event stream.
     */
    @GET
    @Path("plain/{topic}")
    @Produces(MediaType.TEXT_PLAIN)
    public String plain() {
      return InteropServlets.NotAnEventStreamServlet.BODY;
    }
  }
}
