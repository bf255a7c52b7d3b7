package org.ssekit.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.util.Objects;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12.1 with HTTP/1.1 (and h2c unless the settings say otherwise) on one port;
 * subclasses supply the servlet environment (ee11, ee10), whose context classes differ only by
 * package. h2c needs {@code jetty-http2-server} on the class path, compression {@code
 * jetty-compression-gzip}, {@link #tls} also {@code jetty-alpn-java-server}.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public abstract class JettyContainer implements TestContainer {
  private final Server server;
  private final ContainerSettings settings;
  private boolean compression;
  private SelfSignedCertificate certificate;
  private ServerConnector tlsConnector;

  /**
   * Creates a stopped server.
   *
   * @param bufferPool the server's buffer pool, or null for Jetty's default
   */
  protected JettyContainer(ContainerSettings settings, ByteBufferPool bufferPool) {
    this.settings = Objects.requireNonNull(settings, "settings");
    QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 4);
    threads.setName(settings.threadName());
    server = new Server(threads, null, bufferPool);
  }

  /** Returns the servlet context handler of the environment. */
  protected abstract Handler context();

  /** Maps {@code servlet} in the environment's context. */
  protected abstract void addServlet(
      String pathSpec, HttpServlet servlet, boolean async, boolean onStartup);

  /** Maps {@code filter} in front of everything in the environment's context. */
  protected abstract void addFilter(Filter filter, boolean async);

  /** Adds {@code listener} to the environment's context. */
  protected abstract void addListener(ServletContextListener listener);

  @Override
  public final TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async) {
    addServlet(pathSpec, servlet, async, false);
    return this;
  }

  @Override
  public final TestContainer startupServlet(String pathSpec, HttpServlet servlet) {
    addServlet(pathSpec, servlet, true, true);
    return this;
  }

  @Override
  public final TestContainer filter(Filter filter, boolean async) {
    addFilter(filter, async);
    return this;
  }

  @Override
  public final TestContainer listener(ServletContextListener listener) {
    addListener(listener);
    return this;
  }

  @Override
  public final TestContainer compression() {
    compression = true;
    return this;
  }

  @Override
  public final TestContainer tls(SelfSignedCertificate certificate) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    return this;
  }

  @Override
  public final int tlsPort() {
    if (tlsConnector == null || tlsConnector.getLocalPort() <= 0) {
      throw new IllegalStateException(name() + " has no started TLS connector");
    }
    return tlsConnector.getLocalPort();
  }

  @Override
  public final int start() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    ConnectionFactory[] factories =
        settings.h2c()
            ? new ConnectionFactory[] {new HttpConnectionFactory(config), Optional.h2c(config)}
            : new ConnectionFactory[] {new HttpConnectionFactory(config)};
    ServerConnector connector = new ServerConnector(server, factories);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    if (settings.sendBufferSize() > 0) {
      connector.setAcceptedSendBufferSize(settings.sendBufferSize());
    }
    server.addConnector(connector);
    if (certificate != null) {
      tlsConnector = Tls.connector(server, config, certificate);
      server.addConnector(tlsConnector);
    }
    server.setHandler(compression ? Optional.gzip(context()) : context());
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public final void stopContext() throws Exception {
    context().stop();
  }

  @Override
  public final void close() throws Exception {
    server.stop();
  }

  /**
   * The parts that need optional jars, kept in a class of their own so that a user without those
   * jars never loads it.
   */
  private static final class Optional {
    private Optional() {}

    static ConnectionFactory h2c(HttpConfiguration config) {
      return new HTTP2CServerConnectionFactory(config);
    }

    static Handler gzip(Handler context) {
      CompressionHandler handler = new CompressionHandler(context);
      handler.putCompression(new GzipCompression());
      return handler;
    }
  }

  /**
   * The TLS connector, in a class of its own: it needs {@code jetty-http2-server} and {@code
   * jetty-alpn-java-server}, which a user without {@link #tls} need not have.
   */
  private static final class Tls {
    private Tls() {}

    /** A TLS connector on an ephemeral port of 127.0.0.1: h2 and HTTP/1.1 by ALPN. */
    static ServerConnector connector(
        Server server, HttpConfiguration plain, SelfSignedCertificate certificate) {
      HttpConfiguration config = new HttpConfiguration(plain);
      // No SNI host check: clients connect to 127.0.0.1, for which they send no SNI.
      config.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(certificate.keyStore());
      ssl.setKeyStorePassword(certificate.password());
      ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol("http/1.1");
      ServerConnector connector =
          new ServerConnector(
              server,
              new SslConnectionFactory(ssl, alpn.getProtocol()),
              alpn,
              new HTTP2ServerConnectionFactory(config),
              new HttpConnectionFactory(config));
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      connector.setAcceptQueueSize(4096);
      return connector;
    }
  }
}
