package org.ssekit.jaxrs;

import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.core.Application;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.io.ByteBufferPool;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe10Container;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/**
 * A server on an ephemeral port: JAX-RS applications (through the {@linkplain JaxrsRuntime#current
 * runtime}'s servlet) and plain servlets mounted under path prefixes, in embedded Jetty 12.1 (ee11,
 * or ee10 where only that is on the class path) or Tomcat (11 or 10.1, whichever is on the class
 * path); or an application alone on the runtime's server without servlet container.
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
   * Mounts JAX-RS applications and servlets, each at {@code /<prefix>/*}, and starts the server.
   */
  static TestServer start(
      Kind kind, Map<String, Application> applications, Map<String, HttpServlet> servlets) {
    Map<String, HttpServlet> all = mount(applications, servlets);
    try {
      return start(kind == Kind.JETTY ? jetty(null) : new TomcatContainer(SETTINGS), all);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start " + kind, e);
    }
  }

  /** Like {@link #start} on Jetty, with {@code bufferPool} as the server's buffer pool. */
  static TestServer jetty(
      Map<String, Application> applications,
      Map<String, HttpServlet> servlets,
      ByteBufferPool bufferPool) {
    try {
      return start(jetty(bufferPool), mount(applications, servlets));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start " + Kind.JETTY, e);
    }
  }

  static TestServer start(Kind kind, Application application) {
    return start(kind, Map.of("api", application), Map.of());
  }

  /**
   * Starts {@code application} at {@code /api/} on the runtime's HTTP server that is no servlet
   * container (Grizzly for Jersey).
   *
   * @throws IllegalStateException if the runtime has none
   */
  static TestServer withoutServlet(Application application) {
    TestServer server = JaxrsRuntime.current().serverWithoutServlet(application);
    if (server == null) {
      throw new IllegalStateException(
          JaxrsRuntime.current().name() + " has no server without servlet container under test");
    }
    return server;
  }

  /** Jetty ee11 (Servlet 6.1), or ee10 (Servlet 6.0) when the class path has only that. */
  private static TestContainer jetty(ByteBufferPool bufferPool) {
    return hasClass("org.eclipse.jetty.ee11.servlet.ServletContextHandler")
        ? new JettyEe11Container(SETTINGS, bufferPool)
        : new JettyEe10Container(SETTINGS, bufferPool);
  }

  /** As the servers' Jetty, ee11 or ee10, with {@code settings}; not started. */
  static TestContainer jettyContainer(ContainerSettings settings) {
    return hasClass("org.eclipse.jetty.ee11.servlet.ServletContextHandler")
        ? new JettyEe11Container(settings)
        : new JettyEe10Container(settings);
  }

  private static boolean hasClass(String name) {
    try {
      Class.forName(name, false, TestServer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Map<String, HttpServlet> mount(
      Map<String, Application> applications, Map<String, HttpServlet> servlets) {
    Map<String, HttpServlet> all = new LinkedHashMap<>(servlets);
    JaxrsRuntime runtime = JaxrsRuntime.current();
    applications.forEach((prefix, application) -> all.put(prefix, runtime.servlet(application)));
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
