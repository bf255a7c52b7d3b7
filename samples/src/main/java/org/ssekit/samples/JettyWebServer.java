package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12.1 with the ee11 (Servlet 6.1) environment. */
final class JettyWebServer implements WebServer {
  private final Server server;
  private final ServletContextHandler context = new ServletContextHandler("/");

  JettyWebServer() {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty");
    server = new Server(threads);
  }

  @Override
  public WebServer servlet(String pathSpec, HttpServlet servlet) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, pathSpec);
    return this;
  }

  @Override
  public int start(String host, int port) throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public void stop() throws Exception {
    server.stop();
  }
}
