package org.ssekit.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;

/**
 * An embedded servlet container on an ephemeral port of 127.0.0.1 with one web application at the
 * root, so that one scenario suite runs on every container. Map servlets, filters and listeners,
 * then {@link #start()}.
 *
 * <p>Implementations: {@link JettyEe11Container}, {@link JettyEe10Container}, {@link
 * TomcatContainer} (Tomcat 11 or 10.1, whichever is on the class path).
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public interface TestContainer extends AutoCloseable {
  /** Returns a short name for test reports, such as {@code jetty-ee11}. */
  String name();

  /** Maps {@code servlet} at {@code pathSpec}, with async support unless {@code async} is false. */
  TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async);

  /**
   * Maps {@code servlet} at {@code pathSpec} with async support, initialized when the container
   * starts rather than on its first request, as a JAX-RS application's servlet is deployed.
   */
  TestContainer startupServlet(String pathSpec, HttpServlet servlet);

  /**
   * Maps {@code filter} in front of everything, with async support unless {@code async} is false.
   */
  TestContainer filter(Filter filter, boolean async);

  /** Adds a context listener. */
  TestContainer listener(ServletContextListener listener);

  /** Puts a gzip compression handler or connector setting in front of the context. */
  TestContainer compression();

  /**
   * Starts the container and returns its port.
   *
   * @throws Exception whatever the container throws while starting
   */
  int start() throws Exception;

  /**
   * Stops only the web application (as an undeploy does), leaving the connector up.
   *
   * @throws Exception whatever the container throws while stopping
   */
  void stopContext() throws Exception;

  /**
   * Stops the container and deletes its files.
   *
   * @throws Exception whatever the container throws while stopping
   */
  @Override
  void close() throws Exception;

  /** Maps {@code servlet} at {@code pathSpec} with async support. */
  default TestContainer servlet(String pathSpec, HttpServlet servlet) {
    return servlet(pathSpec, servlet, true);
  }

  /**
   * Has the started container also listen on a second ephemeral port of 127.0.0.1 with TLS and
   * {@code certificate}, speaking HTTP/2 and HTTP/1.1 chosen by ALPN (Jetty needs {@code
   * jetty-http2-server} and {@code jetty-alpn-java-server} on the class path). Call before {@link
   * #start()}.
   *
   * @throws UnsupportedOperationException if this container has no TLS connector
   */
  default TestContainer tls(SelfSignedCertificate certificate) {
    throw new UnsupportedOperationException(name() + " has no TLS connector");
  }

  /**
   * Returns the port of the TLS connector.
   *
   * @throws IllegalStateException if the container is not started, or without {@link #tls}
   */
  default int tlsPort() {
    throw new IllegalStateException(name() + " has no TLS connector");
  }
}
