package org.ssekit.jaxrs;

import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey: its {@code ServletContainer}, and Grizzly's HTTP server as the server without servlet.
 */
public final class JerseyRuntime implements JaxrsRuntime {
  /** Created by {@link JaxrsRuntime#current()}. */
  public JerseyRuntime() {}

  @Override
  public String name() {
    return "jersey";
  }

  @Override
  public HttpServlet servlet(Application application) {
    return new ServletContainer(ResourceConfig.forApplication(application));
  }

  @Override
  public OutboundSseEvent.Builder newEventBuilder() {
    return new OutboundEvent.Builder();
  }

  @Override
  public String blockingWriteFrame() {
    return "org.glassfish.jersey.server.ChunkedOutput.flushQueue";
  }

  @Override
  public boolean hasServerWithoutServlet() {
    return true;
  }

  /** Grizzly's HTTP server, its per-connection write queue bounded. */
  @Override
  public TestServer serverWithoutServlet(Application application) {
    HttpServer server =
        GrizzlyHttpServerFactory.createHttpServer(
            URI.create("http://127.0.0.1:0/api/"),
            ResourceConfig.forApplication(application),
            false);
    // By default Grizzly queues without bound what a connection cannot take; bounded, a write to a
    // client that stopped reading blocks, as on any blocking container.
    server
        .getListener("grizzly")
        .getTransport()
        .getAsyncQueueIO()
        .getWriter()
        .setMaxPendingBytesPerConnection(256 * 1024);
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestServer() {
      @Override
      int port() {
        return server.getListeners().iterator().next().getPort();
      }

      @Override
      public void close() {
        server.shutdownNow();
      }
    };
  }
}
