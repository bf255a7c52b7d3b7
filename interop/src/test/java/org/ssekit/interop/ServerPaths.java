package org.ssekit.interop;

import java.util.Map;
import org.apache.catalina.util.ServerInfo;
import org.eclipse.jetty.util.Jetty;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.RefusalAnswer;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/** Every server path of the matrix, in its column order; each test run starts a new one. */
enum ServerPaths {
  /** sse-servlet ({@code SseServlet}) on embedded Jetty 12.1, ee11 (Servlet 6.1), HTTP/1.1. */
  JETTY_SERVLET {
    @Override
    ServerPath create() {
      return servlets(
          "jetty-servlet",
          "sse-servlet on Jetty " + Jetty.VERSION + " (ee11)",
          "interop-jetty",
          new JettyEe11Container(settings("interop-jetty")));
    }
  },
  /** sse-servlet ({@code SseServlet}) on embedded Tomcat 11 with its NIO connector, HTTP/1.1. */
  TOMCAT_SERVLET {
    @Override
    ServerPath create() {
      return servlets(
          "tomcat-servlet",
          "sse-servlet on Tomcat " + ServerInfo.getServerInfo().replaceFirst("^Apache Tomcat/", ""),
          "interop-tomcat",
          new TomcatContainer(settings("interop-tomcat")));
    }
  },
  /**
   * sse-jaxrs on Jersey 4 ({@code @SseTopic} resource methods, {@code SseHubFeature}), in Jersey's
   * servlet container on embedded Jetty 12.1 ee11, HTTP/1.1. Refusal and the wrong content type are
   * plain JAX-RS responses, as an application writes them.
   *
   * <p>The JAX-RS API publishes only through the topic's log, which assigns every id, so the
   * scenarios that need an event without an id, or with an id of their own, are not applicable (its
   * {@link ServerPath#offers()} is null).
   */
  JERSEY_JAXRS {
    @Override
    ServerPath create() {
      String jersey =
          Versions.ofMavenArtifact(
              ServletContainer.class,
              "org.glassfish.jersey.containers",
              "jersey-container-servlet");
      return new ContainerPath(
          "jersey-jaxrs",
          "sse-jaxrs on Jersey " + jersey + " (Jetty " + Jetty.VERSION + " ee11)",
          "interop-jersey",
          new JettyEe11Container(settings("interop-jersey")),
          null,
          (container, hub) -> {
            ResourceConfig application =
                new ResourceConfig(JerseyResource.class).register(SseHubFeature.of(hub));
            ResourceConfig unavailable =
                new ResourceConfig(JerseyResource.Unavailable.class)
                    .register(
                        SseHubFeature.builder(hub)
                            .refusalAnswer(RefusalAnswer.SERVICE_UNAVAILABLE)
                            .build());
            ResourceConfig authorized =
                new ResourceConfig(JerseyResource.Authorized.class)
                    .register(
                        SseHubFeature.builder(hub).authorizer(InteropTokens.authorizer()).build());
            container.startupServlet(
                Endpoint.UNAVAILABLE.pathSpec(), new ServletContainer(unavailable));
            container.startupServlet(
                Endpoint.AUTHORIZED.pathSpec(), new ServletContainer(authorized));
            container.startupServlet("/*", new ServletContainer(application));
            container.servlet("/page.html", new InteropServlets.PageServlet(), false);
          });
    }
  };

  /** Creates the path, stopped. */
  abstract ServerPath create();

  /** Every path's container: 32 request threads, HTTP/1.1 only. */
  private static ContainerSettings settings(String threadName) {
    return ContainerSettings.DEFAULTS.withThreads(threadName, 32).withoutH2c();
  }

  /** An sse-servlet path: the servlets of {@link InteropServlets}, offers included. */
  private static ServerPath servlets(
      String id, String displayName, String hubName, TestContainer container) {
    OpeningOffers offers = new OpeningOffers();
    return new ContainerPath(
        id,
        displayName,
        hubName,
        container,
        offers,
        (target, hub) -> {
          for (Map.Entry<String, jakarta.servlet.http.HttpServlet> servlet :
              InteropServlets.create(hub, offers).entrySet()) {
            target.servlet(servlet.getKey(), servlet.getValue());
          }
        });
  }
}
