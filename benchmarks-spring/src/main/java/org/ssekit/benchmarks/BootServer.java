package org.ssekit.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a Spring Boot application on embedded Tomcat (Boot's default) with the connector settings
 * every harness contestant gets ({@link Container}): 127.0.0.1 and an ephemeral port, 200 request
 * threads, an accept queue of 4096, room for 20,000 connections and a 10-minute connection and
 * keep-alive timeout. Set through Boot's own {@code server.tomcat.*} properties, as an application
 * would; nothing else of Boot's defaults is changed.
 *
 * <p><b>Thread safety:</b> not thread-safe; started and stopped by one thread.
 */
final class BootServer {
  private final Class<?> application;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private ConfigurableApplicationContext context;

  BootServer(Class<?> application, Map<String, Object> extraProperties) {
    this.application = application;
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", "0");
    properties.put("server.tomcat.threads.max", Integer.toString(Container.THREADS));
    properties.put("server.tomcat.max-connections", "20000");
    properties.put("server.tomcat.accept-count", Integer.toString(Container.ACCEPT_QUEUE));
    properties.put("server.tomcat.connection-timeout", Container.IDLE_TIMEOUT_MILLIS + "ms");
    properties.put("server.tomcat.keep-alive-timeout", Container.IDLE_TIMEOUT_MILLIS + "ms");
    // Quiet logs: the server JVM's standard error is the run's log file.
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    properties.putAll(extraProperties);
  }

  /** Starts the application and returns its port. */
  int start() {
    context = new SpringApplicationBuilder(application).properties(properties).run();
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Returns the running application's bean of {@code type}. */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Returns Boot's and the container's versions and the connector settings, for the results. */
  String settings() {
    return "Spring Boot "
        + SpringBootVersion.getVersion()
        + ", "
        + org.apache.catalina.util.ServerInfo.getServerInfo()
        + " (Boot's default container), NIO HTTP/1.1, maxThreads "
        + Container.THREADS
        + ", maxConnections 20000, acceptCount "
        + Container.ACCEPT_QUEUE
        + ", connectionTimeout and keepAliveTimeout "
        + Container.IDLE_TIMEOUT_MILLIS
        + " ms";
  }

  void stop() {
    if (context != null) {
      context.close();
    }
  }
}
