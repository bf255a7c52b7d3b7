package org.ssekit.spring.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Locale;
import org.springframework.context.ApplicationContext;

/** What the scenarios share: the container this run must be on, and its port. */
final class Scenarios {
  private Scenarios() {}

  /**
   * Returns {@code tomcat} or {@code jetty}: the container the surefire execution put on the class
   * path ({@code -Dssekit.test.server}). Fails if unset, so that no run passes on an unknown
   * container.
   */
  static String expectedServer() {
    String server = System.getProperty("ssekit.test.server");
    assertThat(server)
        .as("system property ssekit.test.server (tomcat or jetty), set by the surefire execution")
        .isIn("tomcat", "jetty");
    return server;
  }

  /** Asserts that {@code context}'s web server is the expected container. */
  static void assertServedByExpectedContainer(ApplicationContext context) throws Exception {
    // getWebServer() is on Boot 3's and Boot 4's web server contexts alike, in other packages.
    Method getWebServer = context.getClass().getMethod("getWebServer");
    String webServer = getWebServer.invoke(context).getClass().getSimpleName();
    assertThat(webServer.toLowerCase(Locale.ROOT)).startsWith(expectedServer());
  }

  /** Returns the port the context's web server listens on. */
  static int port(ApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }
}
