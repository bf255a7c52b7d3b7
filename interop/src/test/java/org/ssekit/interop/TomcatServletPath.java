package org.ssekit.interop;

import jakarta.servlet.http.HttpServlet;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.ssekit.SseHub;

/** sse-servlet ({@code SseServlet}) on embedded Tomcat 11 with its NIO connector, HTTP/1.1. */
final class TomcatServletPath implements ServerPath {
  private final SseHub hub = ServerPath.newHub("interop-tomcat");
  private final RequestLog requests = new RequestLog();
  private final OpeningOffers offers = new OpeningOffers();
  private Tomcat tomcat;
  private File baseDir;

  @Override
  public String id() {
    return "tomcat-servlet";
  }

  @Override
  public String displayName() {
    return "sse-servlet on Tomcat "
        + ServerInfo.getServerInfo().replaceFirst("^Apache Tomcat/", "");
  }

  @Override
  public URI start() throws Exception {
    baseDir = Files.createTempDirectory("interop-tomcat").toFile();
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.getAbsolutePath());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", "32");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    FilterDef log = new FilterDef();
    log.setFilterName("request-log");
    log.setFilter(requests);
    log.setAsyncSupported("true");
    context.addFilterDef(log);
    FilterMap logMap = new FilterMap();
    logMap.setFilterName("request-log");
    logMap.addURLPattern("/*");
    context.addFilterMap(logMap);
    int n = 0;
    for (Map.Entry<String, HttpServlet> servlet : InteropServlets.create(hub, offers).entrySet()) {
      String name = "interop-" + (++n);
      Wrapper wrapper = Tomcat.addServlet(context, name, servlet.getValue());
      wrapper.setAsyncSupported(true);
      context.addServletMappingDecoded(servlet.getKey(), name);
    }
    tomcat.start();
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
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
      if (tomcat != null) {
        tomcat.stop();
        tomcat.destroy();
      }
    } finally {
      hub.close();
      if (baseDir != null) {
        try (var paths = Files.walk(baseDir.toPath())) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    }
  }
}
