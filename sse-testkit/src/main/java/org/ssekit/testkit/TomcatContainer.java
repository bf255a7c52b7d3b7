package org.ssekit.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat with its NIO connector, HTTP/1.1 and (unless the settings say otherwise) h2c by
 * upgrade: Tomcat 11 or 10.1, whichever {@code tomcat-embed-core} is on the class path (the
 * embedding API is the same). Its base directory is a temporary one, deleted on {@link #close()}.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public final class TomcatContainer implements TestContainer {
  private final Tomcat tomcat = new Tomcat();
  private final TempDirectory baseDir = TempDirectory.create("tomcat-test");
  private final Context context;
  private final ContainerSettings settings;
  private Connector tlsConnector;
  private int servlets;
  private int filters;

  /** Creates a container with {@link ContainerSettings#DEFAULTS}. */
  public TomcatContainer() {
    this(ContainerSettings.DEFAULTS);
  }

  /** Creates a container with {@code settings}; Tomcat names its request threads itself. */
  public TomcatContainer(ContainerSettings settings) {
    this.settings = settings;
    tomcat.setBaseDir(baseDir.path().toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxConnections", "20000");
    connector.setProperty("acceptCount", "4096");
    connector.setProperty("maxThreads", Integer.toString(settings.maxThreads()));
    if (settings.sendBufferSize() > 0) {
      connector.setProperty("socket.txBufSize", Integer.toString(settings.sendBufferSize()));
    }
    if (settings.h2c()) {
      connector.addUpgradeProtocol(new Http2Protocol());
    }
    tomcat.setConnector(connector);
    // Tomcat's default error page shows the stack trace of the refusals its HTTP parser makes (a
    // head over the limit, a NUL in a header) and the server's version: the reliability suite's
    // hostile input found it. Set up as a production server would be, without either.
    ErrorReportValve errorReport = new ErrorReportValve();
    errorReport.setShowReport(false);
    errorReport.setShowServerInfo(false);
    tomcat.getHost().getPipeline().addValve(errorReport);
    context = tomcat.addContext("", null);
  }

  @Override
  public String name() {
    return "tomcat-" + ServerInfo.getServerNumber();
  }

  @Override
  public TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async) {
    addServlet(pathSpec, servlet, async);
    return this;
  }

  @Override
  public TestContainer startupServlet(String pathSpec, HttpServlet servlet) {
    addServlet(pathSpec, servlet, true).setLoadOnStartup(1);
    return this;
  }

  private Wrapper addServlet(String pathSpec, HttpServlet servlet, boolean async) {
    String name = "servlet-" + (++servlets);
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(async);
    context.addServletMappingDecoded(pathSpec, name);
    return wrapper;
  }

  @Override
  public TestContainer filter(Filter filter, boolean async) {
    String name = "filter-" + (++filters);
    FilterDef def = new FilterDef();
    def.setFilterName(name);
    def.setFilter(filter);
    def.setAsyncSupported(Boolean.toString(async));
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName(name);
    map.addURLPattern("/*");
    context.addFilterMap(map);
    return this;
  }

  @Override
  public TestContainer listener(ServletContextListener listener) {
    context.addServletContainerInitializer(
        (classes, servletContext) -> servletContext.addListener(listener), null);
    return this;
  }

  @Override
  public TestContainer compression() {
    tomcat.getConnector().setProperty("compression", "on");
    tomcat.getConnector().setProperty("compressionMinSize", "1");
    return this;
  }

  /** Adds an NIO connector with JSSE and {@link Http2Protocol}, which ALPN selects over TLS. */
  @Override
  public TestContainer tls(SelfSignedCertificate certificate) {
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxConnections", "20000");
    connector.setProperty("acceptCount", "4096");
    connector.setProperty("maxThreads", Integer.toString(settings.maxThreads()));
    connector.setSecure(true);
    connector.setScheme("https");
    connector.setProperty("SSLEnabled", "true");
    SSLHostConfig host = new SSLHostConfig();
    SSLHostConfigCertificate key =
        new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
    key.setCertificateKeystore(certificate.keyStore());
    key.setCertificateKeystorePassword(certificate.password());
    key.setCertificateKeyPassword(certificate.password());
    key.setCertificateKeyAlias(SelfSignedCertificate.ALIAS);
    host.addCertificate(key);
    connector.addSslHostConfig(host);
    connector.addUpgradeProtocol(new Http2Protocol());
    tomcat.getService().addConnector(connector);
    tlsConnector = connector;
    return this;
  }

  @Override
  public int tlsPort() {
    if (tlsConnector == null || tlsConnector.getLocalPort() <= 0) {
      throw new IllegalStateException(name() + " has no started TLS connector");
    }
    return tlsConnector.getLocalPort();
  }

  @Override
  public int start() throws Exception {
    tomcat.start();
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  public void stopContext() throws Exception {
    context.stop();
  }

  @Override
  public void close() throws Exception {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      baseDir.close();
    }
  }
}
