package org.ssekit.servlet;

import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12.1 with HTTP/1.1 and h2c on one port; subclasses supply the servlet environment
 * (ee11 here, ee10 in the compatibility module), whose context classes differ only by package.
 */
public abstract class JettyContainer implements TestContainer {
  private final Server server;
  private boolean compression;

  protected JettyContainer() {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-test");
    server = new Server(threads);
  }

  /** Returns the servlet context handler of the environment. */
  protected abstract Handler context();

  @Override
  public TestContainer compression() {
    compression = true;
    return this;
  }

  @Override
  public int start() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    if (compression) {
      CompressionHandler handler = new CompressionHandler(context());
      handler.putCompression(new GzipCompression());
      server.setHandler(handler);
    } else {
      server.setHandler(context());
    }
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public void stopContext() throws Exception {
    context().stop();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
