package org.ssekit.reliability.soak;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.reliability.EntriesResource;
import org.ssekit.reliability.FeedServlet;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * One server of the soak and long-run tests: a container on an ephemeral port serving one hub
 * through one {@linkplain Way way}, behind sse-testkit's {@link BasicLoginFilter} and {@link
 * FeedServlet#PRIVATE_FEEDS} (a signed-in user reads {@code users/<name>/**} and {@code rooms/*}).
 * {@link #close()} closes the hub first (ending the streams, so that the container stops at once),
 * then the container, and waits for the hub's threads to end.
 *
 * <p><b>Thread safety:</b> confined to the test thread, except {@link #target}, which any thread
 * may call.
 */
final class SoakServer implements AutoCloseable {
  /** The three paths of the soak: the servlet adapter on each container, and JAX-RS on Jersey. */
  enum Way {
    SERVLET_ON_JETTY("servlet, jetty-ee11", JettyEe11Container::new, false),
    SERVLET_ON_TOMCAT("servlet, tomcat-11", TomcatContainer::new, false),
    JAXRS_ON_JERSEY("jax-rs (jersey 4), jetty-ee11", JettyEe11Container::new, true);

    private final String label;
    private final Function<ContainerSettings, TestContainer> factory;
    private final boolean jaxrs;

    Way(String label, Function<ContainerSettings, TestContainer> factory, boolean jaxrs) {
      this.label = label;
      this.factory = factory;
      this.jaxrs = jaxrs;
    }

    /** Returns true for the JAX-RS way, which takes no per-request listener. */
    boolean jaxrs() {
      return jaxrs;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** 200 request threads, HTTP/1.1 only: as the hostile and faults servers. */
  static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("soak", 200).withoutH2c();

  private final SseHub hub;
  private final Way way;
  private final TestContainer container;
  private final int port;

  private SoakServer(SseHub hub, Way way, TestContainer container, int port) {
    this.hub = hub;
    this.way = way;
    this.container = container;
    this.port = port;
  }

  /**
   * Starts {@code way}'s container with {@code settings}, serving {@code hub}; on the servlet way,
   * each stream gets the listener {@code listeners} makes of its request (the JAX-RS way has no
   * per-request listener: it must be null there).
   *
   * @throws IllegalArgumentException if a listener factory is given for the JAX-RS way
   */
  static SoakServer start(
      Way way,
      Supplier<SseHub> hubs,
      ContainerSettings settings,
      Function<HttpServletRequest, SseListener> listeners)
      throws Exception {
    if (way.jaxrs && listeners != null) {
      throw new IllegalArgumentException("the JAX-RS way takes no per-request listener");
    }
    SseHub hub = hubs.get();
    TestContainer container = way.factory.apply(settings);
    try {
      container.filter(new BasicLoginFilter(), true);
      if (way.jaxrs) {
        container.startupServlet(
            "/api/*",
            new ServletContainer(
                new ResourceConfig(EntriesResource.class)
                    .register(
                        SseHubFeature.builder(hub).authorizer(FeedServlet.PRIVATE_FEEDS).build())));
      } else {
        container.servlet(
            "/events",
            new FeedServlet(
                hub,
                FeedServlet.PRIVATE_FEEDS,
                listeners == null ? request -> SseListener.NONE : listeners));
      }
      return new SoakServer(hub, way, container, container.start());
    } catch (Exception | Error e) {
      hub.close();
      container.close();
      throw e;
    }
  }

  SseHub hub() {
    return hub;
  }

  int port() {
    return port;
  }

  /**
   * Returns the request target of a stream of {@code entries}, with {@code extraQuery} (already
   * encoded, or empty) appended.
   */
  String target(List<String> entries, String extraQuery) {
    String query =
        way.jaxrs
            ? "/api/entries?"
                + entries.stream()
                    .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"))
            : "/events?topics="
                + URLEncoder.encode(String.join(",", entries), StandardCharsets.UTF_8);
    return extraQuery.isEmpty() ? query : query + "&" + extraQuery;
  }

  @Override
  public void close() throws Exception {
    try {
      hub.close();
    } finally {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }
}
