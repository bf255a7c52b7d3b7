package org.ssekit.jaxrs;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * A server on an ephemeral port: Jersey applications (and plain servlets) mounted under path
 * prefixes, in embedded Jetty 12.1 ee11 or Tomcat 11, or Jersey alone on Grizzly's HTTP server (no
 * servlet container).
 */
abstract class TestServer implements AutoCloseable {
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
      return kind == Kind.JETTY ? jetty(all, null) : tomcat(all);
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
      return jetty(mount(applications, servlets), bufferPool);
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

  /** Starts Jetty with {@code bufferPool}, or with Jetty's default pool if it is null. */
  private static TestServer jetty(Map<String, HttpServlet> servlets, ByteBufferPool bufferPool)
      throws Exception {
    Server server = new Server(null, null, bufferPool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    servlets.forEach(
        (prefix, servlet) -> {
          ServletHolder holder = new ServletHolder(prefix, servlet);
          holder.setAsyncSupported(true);
          holder.setInitOrder(1);
          context.addServlet(holder, "/" + prefix + "/*");
        });
    server.setHandler(context);
    server.start();
    return new TestServer() {
      @Override
      int port() {
        return connector.getLocalPort();
      }

      @Override
      public void close() {
        try {
          server.stop();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private static TestServer tomcat(Map<String, HttpServlet> servlets) throws Exception {
    Path base = Files.createTempDirectory("ssekit-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    servlets.forEach(
        (prefix, servlet) -> {
          Wrapper wrapper = Tomcat.addServlet(context, prefix, servlet);
          wrapper.setAsyncSupported(true);
          wrapper.setLoadOnStartup(1);
          context.addServletMapping("/" + prefix + "/*", prefix);
        });
    tomcat.start();
    return new TestServer() {
      @Override
      int port() {
        return connector.getLocalPort();
      }

      @Override
      public void close() {
        try {
          tomcat.stop();
          tomcat.destroy();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          try (var files = Files.walk(base)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }
}
