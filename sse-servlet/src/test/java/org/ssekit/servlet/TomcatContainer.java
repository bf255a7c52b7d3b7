package org.ssekit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat with its NIO connector, HTTP/1.1 and h2c (upgrade): Tomcat 11 here, Tomcat 10.1
 * in the compatibility module (the embedding API is the same).
 */
public final class TomcatContainer implements TestContainer {
  private final Tomcat tomcat = new Tomcat();
  private final Context context;
  private int servlets;
  private int filters;

  public TomcatContainer() {
    try {
      File base = Files.createTempDirectory("tomcat-test").toFile();
      tomcat.setBaseDir(base.getAbsolutePath());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxConnections", "20000");
    connector.setProperty("acceptCount", "4096");
    connector.setProperty("maxThreads", "64");
    connector.addUpgradeProtocol(new Http2Protocol());
    tomcat.setConnector(connector);
    context = tomcat.addContext("", null);
  }

  @Override
  public String name() {
    return "tomcat-" + ServerInfo.getServerNumber();
  }

  @Override
  public TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async) {
    String name = "servlet-" + (++servlets);
    Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
    wrapper.setAsyncSupported(async);
    context.addServletMappingDecoded(pathSpec, name);
    return this;
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
    tomcat.stop();
    tomcat.destroy();
  }
}
