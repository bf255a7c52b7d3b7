package org.ssekit.benchmarks;

import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.nio.file.Files;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded servlet container on 127.0.0.1 and an ephemeral port, with the same settings for
 * every contestant: HTTP/1.1, 200 request threads, an accept queue of 4096, room for 20,000
 * connections and a 10-minute idle timeout (so that no container closes an idle stream during a
 * run).
 *
 * <p><b>Thread safety:</b> not thread-safe; configured and started by one thread.
 */
abstract class Container {
  static final int THREADS = 200;
  static final int ACCEPT_QUEUE = 4096;
  static final int IDLE_TIMEOUT_MILLIS = 600_000;

  static Container jetty() {
    return new Jetty();
  }

  static Container tomcat() {
    return new Tomcat11(false);
  }

  /**
   * Tomcat with smaller per-connection buffers: {@link Tomcat11#TUNING}. Request headers may still
   * be 8 KiB (a long {@code Last-Event-ID} needs them); reads and writes take more, smaller steps.
   */
  static Container tomcatTuned() {
    return new Tomcat11(true);
  }

  /** Returns {@code jetty} or {@code tomcat}. */
  abstract String kind();

  /** Maps {@code servlet} at {@code pathSpec} with async support and the given init parameters. */
  abstract Container servlet(
      String pathSpec, HttpServlet servlet, Map<String, String> initParameters);

  /** Starts the container and returns its port. */
  abstract int start() throws Exception;

  /** Returns the connector settings, for the results. */
  abstract String settings();

  /** Stops the container. */
  abstract void stop() throws Exception;

  /**
   * Embedded Jetty 12.1 with the ee11 (Servlet 6.1) environment.
   *
   * <p>Its buffer pool has 512-byte buckets instead of the default 4096. Every open stream holds
   * its response buffer (1 KiB here) from the pool, and every chunked write takes and returns a
   * 12-byte chunk header. With 4096-byte buckets both come from the same bucket, whose first 256
   * slots then stay taken by open streams, so every write scans them all before it finds a free
   * one: a fifth of the delivery threads' CPU at 10,000 streams (JFR). With 512-byte buckets they
   * come from different buckets.
   */
  private static final class Jetty extends Container {
    static final int POOL_FACTOR = 512;
    static final int POOL_MAX_CAPACITY = 65_536;
    private final Server server;
    private final ServletContextHandler context = new ServletContextHandler("/");

    Jetty() {
      QueuedThreadPool threads = new QueuedThreadPool(THREADS, 8);
      threads.setName("jetty");
      server =
          new Server(threads, null, new ArrayByteBufferPool(0, POOL_FACTOR, POOL_MAX_CAPACITY));
    }

    @Override
    String kind() {
      return "jetty";
    }

    @Override
    Container servlet(String pathSpec, HttpServlet servlet, Map<String, String> initParameters) {
      ServletHolder holder = new ServletHolder(servlet);
      holder.setAsyncSupported(true);
      initParameters.forEach(holder::setInitParameter);
      context.addServlet(holder, pathSpec);
      return this;
    }

    @Override
    int start() throws Exception {
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      connector.setAcceptQueueSize(ACCEPT_QUEUE);
      connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
      server.addConnector(connector);
      server.setHandler(context);
      server.start();
      return connector.getLocalPort();
    }

    @Override
    String settings() {
      return "Jetty "
          + Server.getVersion()
          + " ee11, HTTP/1.1, QueuedThreadPool max "
          + THREADS
          + ", acceptQueueSize "
          + ACCEPT_QUEUE
          + ", idleTimeout "
          + IDLE_TIMEOUT_MILLIS
          + " ms, ArrayByteBufferPool(0, "
          + POOL_FACTOR
          + ", "
          + POOL_MAX_CAPACITY
          + ")";
    }

    @Override
    void stop() throws Exception {
      server.stop();
    }
  }

  /** Embedded Tomcat 11 with its NIO connector. */
  private static final class Tomcat11 extends Container {
    /** Connector properties that lower Tomcat's memory per idle connection. */
    static final Map<String, String> TUNING =
        Map.of(
            "socket.appReadBufSize", "2048",
            "socket.appWriteBufSize", "2048",
            "maxHttpResponseHeaderSize", "2048");

    private final Tomcat tomcat = new Tomcat();
    private final Context context;
    private final boolean tuned;
    private int servlets;

    Tomcat11(boolean tuned) {
      this.tuned = tuned;
      try {
        File base = Files.createTempDirectory("ssekit-bench-tomcat").toFile();
        base.deleteOnExit();
        tomcat.setBaseDir(base.getAbsolutePath());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create a base directory for Tomcat", e);
      }
      Connector connector = new Connector("HTTP/1.1");
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      connector.setProperty("maxConnections", "20000");
      connector.setProperty("acceptCount", Integer.toString(ACCEPT_QUEUE));
      connector.setProperty("maxThreads", Integer.toString(THREADS));
      connector.setProperty("connectionTimeout", Integer.toString(IDLE_TIMEOUT_MILLIS));
      connector.setProperty("keepAliveTimeout", Integer.toString(IDLE_TIMEOUT_MILLIS));
      if (tuned) {
        TUNING.forEach(connector::setProperty);
      }
      tomcat.setConnector(connector);
      context = tomcat.addContext("", null);
    }

    @Override
    String kind() {
      return "tomcat";
    }

    @Override
    Container servlet(String pathSpec, HttpServlet servlet, Map<String, String> initParameters) {
      String name = "servlet-" + (++servlets);
      Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
      wrapper.setAsyncSupported(true);
      initParameters.forEach(wrapper::addInitParameter);
      context.addServletMapping(pathSpec, name);
      return this;
    }

    @Override
    int start() throws Exception {
      tomcat.start();
      return tomcat.getConnector().getLocalPort();
    }

    @Override
    String settings() {
      return org.apache.catalina.util.ServerInfo.getServerInfo()
          + ", NIO HTTP/1.1, maxThreads "
          + THREADS
          + ", maxConnections 20000, acceptCount "
          + ACCEPT_QUEUE
          + ", connectionTimeout "
          + IDLE_TIMEOUT_MILLIS
          + " ms"
          + (tuned ? ", tuned: " + new java.util.TreeMap<>(TUNING) : "");
    }

    @Override
    void stop() throws Exception {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
