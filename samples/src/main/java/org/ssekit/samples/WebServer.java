package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;

/**
 * An embedded servlet container with one root context: servlets are mapped before {@link #start}.
 *
 * <p><b>Thread safety:</b> confined to the thread that builds, starts and stops the server.
 */
interface WebServer {
  /** Maps {@code servlet} at {@code pathSpec} (a Servlet URL pattern) with async support. */
  WebServer servlet(String pathSpec, HttpServlet servlet);

  /**
   * Starts listening on {@code host}:{@code port} and returns the port bound (useful when {@code
   * port} is 0).
   */
  int start(String host, int port) throws Exception;

  /** Stops the server; idempotent. */
  void stop() throws Exception;

  /** Returns an unstarted server of {@code kind}. */
  static WebServer of(ServerKind kind) {
    return switch (kind) {
      case JETTY -> new JettyWebServer();
      case TOMCAT -> new TomcatWebServer();
    };
  }
}
