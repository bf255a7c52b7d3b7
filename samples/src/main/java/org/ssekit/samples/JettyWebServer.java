package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12.1 with the ee11 (Servlet 6.1) environment; with {@link #tls}, h2 and HTTP/1.1
 * by ALPN on the JDK's own TLS ({@code jetty-http2-server}, {@code jetty-alpn-java-server}).
 */
final class JettyWebServer implements WebServer {
  private final Server server;
  private final ServletContextHandler context = new ServletContextHandler("/");
  private SelfSignedKeyStore keyStore; // confined to the building thread, like the whole class

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
  public WebServer tls(SelfSignedKeyStore keyStore) {
    this.keyStore = keyStore;
    return this;
  }

  @Override
  public int start(String host, int port) throws Exception {
    ServerConnector connector = keyStore == null ? new ServerConnector(server) : tlsConnector();
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  /** A connector that speaks h2 or HTTP/1.1 over TLS, as the client's ALPN offer chooses. */
  private ServerConnector tlsConnector() {
    HttpConfiguration config = new HttpConfiguration();
    // No SNI host check: a client that connects to an address (127.0.0.1) sends no SNI.
    config.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore.keyStore());
    ssl.setKeyStorePassword(keyStore.password());
    // h2 forbids some ciphers that TLS 1.2 would offer: prefer the ones it allows.
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    // A client without ALPN gets HTTP/1.1.
    alpn.setDefaultProtocol("http/1.1");
    return new ServerConnector(
        server,
        new SslConnectionFactory(ssl, alpn.getProtocol()),
        alpn,
        new HTTP2ServerConnectionFactory(config),
        new HttpConnectionFactory(config));
  }

  @Override
  public void stop() throws Exception {
    server.stop();
  }
}
