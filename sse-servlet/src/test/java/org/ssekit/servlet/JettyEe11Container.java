package org.ssekit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12.1 with the ee11 (Servlet 6.1) environment, HTTP/1.1 and h2c on one port. */
public final class JettyEe11Container implements TestContainer {
  private final Server server;
  private final ServletContextHandler context = new ServletContextHandler("/");
  private boolean compression;

  public JettyEe11Container() {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-test");
    server = new Server(threads);
  }

  @Override
  public String name() {
    return "jetty-ee11";
  }

  @Override
  public TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(async);
    context.addServlet(holder, pathSpec);
    return this;
  }

  @Override
  public TestContainer filter(Filter filter, boolean async) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(async);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    return this;
  }

  @Override
  public TestContainer listener(ServletContextListener listener) {
    context.addEventListener(listener);
    return this;
  }

  @Override
  public TestContainer compression() {
    compression = true;
    return this;
  }

  @Override
  public boolean supportsH2c() {
    return true;
  }

  @Override
  public int start() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
        new HTTP2CServerConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    if (compression) {
      CompressionHandler handler = new CompressionHandler(context);
      handler.putCompression(new GzipCompression());
      server.setHandler(handler);
    } else {
      server.setHandler(context);
    }
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public void stopContext() throws Exception {
    context.stop();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
