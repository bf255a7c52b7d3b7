package org.ssekit.jaxrs;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.io.ByteBufferPool;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/**
 * A server on an ephemeral port: Jersey applications (and plain servlets) mounted under path
 * prefixes, in embedded Jetty 12.1 ee11 or Tomcat 11, or Jersey alone on Grizzly's HTTP server (no
 * servlet container).
 */
abstract class TestServer implements AutoCloseable {
  /** The containers' own default of 200 request threads, and HTTP/1.1 only. */
  private static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("jaxrs-test", 200).withoutH2c();

  /** Where a test server runs. */
  enum Kind {
    JETTY,
    TOMCAT
  }

  abstract int port();

  @Override
  public abstract void close();

  /**
   * Mounts Jersey applications and servlets, each at {@code /<prefix>/*}, and starts the server.
   */
  static TestServer start(
      Kind kind, Map<String, ResourceConfig> applications, Map<String, HttpServlet> servlets) {
    Map<String, HttpServlet> all = mount(applications, servlets);
    try {
      return start(
          kind == Kind.JETTY ? new JettyEe11Container(SETTINGS) : new TomcatContainer(SETTINGS),
          all);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start " + kind, e);
    }
  }

  /** Like {@link #start} on Jetty, with {@code bufferPool} as the server's buffer pool. */
  static TestServer jetty(
      Map<String, ResourceConfig> applications,
      Map<String, HttpServlet> servlets,
      ByteBufferPool bufferPool) {
    try {
      return start(new JettyEe11Container(SETTINGS, bufferPool), mount(applications, servlets));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start " + Kind.JETTY, e);
    }
  }

  static TestServer start(Kind kind, ResourceConfig application) {
    return start(kind, Map.of("api", application), Map.of());
  }

  /**
   * Starts {@code application} at {@code /api/} on Grizzly's HTTP server, which is no servlet
   * container.
   */
  static TestServer grizzly(ResourceConfig application) {
    HttpServer server =
        GrizzlyHttpServerFactory.createHttpServer(
            URI.create("http://127.0.0.1:0/api/"), application, false);
    // By default Grizzly queues without bound what a connection cannot take; bounded, a write to a
    // client
    // that stopped reading blocks, as on any blocking container.
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

  private static Map<String, HttpServlet> mount(
      Map<String, ResourceConfig> applications, Map<String, HttpServlet> servlets) {
    Map<String, HttpServlet> all = new LinkedHashMap<>(servlets);
    applications.forEach(
        (prefix, application) -> all.put(prefix, new ServletContainer(application)));
    return all;
  }

  /**
   * Maps every servlet at {@code /<prefix>/*}, loaded on start-up, and starts {@code container}.
   */
  private static TestServer start(TestContainer container, Map<String, HttpServlet> servlets)
      throws Exception {
    servlets.forEach((prefix, servlet) -> container.startupServlet("/" + prefix + "/*", servlet));
    int port;
    try {
      port = container.start();
    } catch (Exception e) {
      container.close();
      throw e;
    }
    return new TestServer() {
      @Override
      int port() {
        return port;
      }

      @Override
      public void close() {
        try {
          container.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
