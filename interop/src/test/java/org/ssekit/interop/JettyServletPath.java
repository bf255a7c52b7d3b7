package org.ssekit.interop;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.ssekit.SseHub;

/** sse-servlet ({@code SseServlet}) on embedded Jetty 12.1, ee11 (Servlet 6.1), HTTP/1.1. */
final class JettyServletPath implements ServerPath {
  private final SseHub hub = ServerPath.newHub("interop-jetty");
  private final RequestLog requests = new RequestLog();
  private final OpeningOffers offers = new OpeningOffers();
  private Server server;

  @Override
  public String id() {
    return "jetty-servlet";
  }

  @Override
  public String displayName() {
    return "sse-servlet on Jetty " + Jetty.VERSION + " (ee11)";
  }

  @Override
  public URI start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("interop-jetty");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder log = new FilterHolder(requests);
    log.setAsyncSupported(true);
    context.addFilter(log, "/*", EnumSet.of(DispatcherType.REQUEST));
    for (Map.Entry<String, HttpServlet> servlet : InteropServlets.create(hub, offers).entrySet()) {
      ServletHolder holder = new ServletHolder(servlet.getValue());
      holder.setAsyncSupported(true);
      context.addServlet(holder, servlet.getKey());
    }
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
    return offers;
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
}
