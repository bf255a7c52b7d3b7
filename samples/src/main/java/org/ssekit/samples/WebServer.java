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
   * Has {@link #start} listen with TLS and {@code keyStore}'s certificate instead of plain HTTP,
   * offering HTTP/2 and HTTP/1.1 by ALPN (the client chooses; browsers speak HTTP/2 only over TLS).
   * Call before {@link #start}.
   */
  WebServer tls(SelfSignedKeyStore keyStore);

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
