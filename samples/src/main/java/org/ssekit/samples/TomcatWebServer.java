package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat 11 (Servlet 6.1) with its NIO connector and a throw-away base directory; with
 * {@link #tls}, JSSE and {@link Http2Protocol}, which ALPN selects when the client offers h2.
 */
final class TomcatWebServer implements WebServer {
  private final Tomcat tomcat = new Tomcat();
  private final Path baseDir;
  private final Context context;
  private SelfSignedKeyStore keyStore; // confined to the building thread, like the whole class
  private int servlets;

  TomcatWebServer() {
    try {
      baseDir = Files.createTempDirectory("ssekit-samples-tomcat");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Tomcat's base directory", e);
    }
    tomcat.setBaseDir(baseDir.toString());
    context = tomcat.addContext("", null);
    // One application that lives as long as the server: the class loader's leak detection on stop
    // has
    // nothing to find, and would only warn that it needs --add-opens.
    StandardContext standard = (StandardContext) context;
    standard.setClearReferencesRmiTargets(false);
    standard.setClearReferencesThreadLocals(false);
  }

  @Override
  public WebServer servlet(String pathSpec, HttpServlet servlet) {
    String name = "servlet-" + (++servlets);
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(true);
    context.addServletMapping(pathSpec, name);
    return this;
  }

  @Override
  public WebServer tls(SelfSignedKeyStore keyStore) {
    this.keyStore = keyStore;
    return this;
  }

  @Override
  public int start(String host, int port) throws Exception {
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(port);
    connector.setProperty("address", host);
    if (keyStore != null) {
      secure(connector);
    }
    // By default Tomcat logs a connector that cannot bind and starts without it: fail instead.
    connector.setThrowOnFailure(true);
    tomcat.setConnector(connector);
    tomcat.start();
    if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
      throw new BindException(
          "Tomcat's connector did not start on "
              + host
              + ":"
              + port
              + " (state "
              + connector.getState()
              + "); is the port in use?");
    }
    return connector.getLocalPort();
  }

  /**
   * Makes {@code connector} a TLS one that also offers h2: ALPN picks it when the client asks (a
   * client that does not gets HTTP/1.1).
   */
  private void secure(Connector connector) {
    connector.setSecure(true);
    connector.setScheme("https");
    connector.setProperty("SSLEnabled", "true");
    SSLHostConfig host = new SSLHostConfig();
    SSLHostConfigCertificate key =
        new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
    key.setCertificateKeystore(keyStore.keyStore());
    key.setCertificateKeystorePassword(keyStore.password());
    key.setCertificateKeyPassword(keyStore.password());
    key.setCertificateKeyAlias(SelfSignedKeyStore.ALIAS);
    host.addCertificate(key);
    connector.addSslHostConfig(host);
    connector.addUpgradeProtocol(new Http2Protocol());
  }

  @Override
  public void stop() throws Exception {
    try {
      if (tomcat.getServer().getState() != LifecycleState.DESTROYED) {
        tomcat.stop();
        tomcat.destroy();
      }
    } finally {
      deleteBaseDir();
      // Tomcat publishes its first base directory as catalina.home/base for the JVM; a later Tomcat
      // (as
      // in tests) would use, and re-create, this deleted directory.
      for (String property : new String[] {"catalina.home", "catalina.base"}) {
        if (baseDir.toString().equals(System.getProperty(property))) {
          System.clearProperty(property);
        }
      }
    }
  }

  private void deleteBaseDir() throws IOException {
    if (!Files.exists(baseDir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(baseDir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
