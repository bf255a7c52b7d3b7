package org.ssekit.jaxrs;

import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.sse.SseBroadcaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.io.ByteBufferPool;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseHub;
import org.ssekit.testkit.RawSseClient;

/**
 * One test's world, on the {@linkplain JaxrsRuntime#current() runtime under test}: a hub, the
 * JAX-RS application with {@link SseHubFeature} at {@code /api}, a servlet stream of the same hub
 * at {@code /servlet/<topic>}, optional further applications, and the clients. Closing it closes
 * the clients, the hub and the server, then checks that none of the hub's threads remain.
 */
final class Fixture implements AutoCloseable {
  private static final AtomicInteger HUBS = new AtomicInteger();

  final SseHub hub;
  final SseHubFeature feature;

  /** A broadcaster of topic {@code b}, served at {@code /api/b}. */
  final SseBroadcaster broadcaster;

  final TestResources.HeadlineWriter headlineWriter = new TestResources.HeadlineWriter();
  final TestServer server;
  private final List<RawSseClient> clients = new ArrayList<>();

  /** Starts the server of a fixture, given the application at {@code /api} and the servlets. */
  private interface ServerStart {
    TestServer start(Application application, Map<String, HttpServlet> servlets);
  }

  private Fixture(SseHub hub, ServerStart serverStart) {
    this(hub, feature -> feature, serverStart);
  }

  private Fixture(
      SseHub hub, UnaryOperator<SseHubFeature.Builder> featureConfig, ServerStart serverStart) {
    this.hub = hub;
    this.feature = featureConfig.apply(SseHubFeature.builder(hub)).build();
    this.broadcaster = feature.topics().broadcaster("b");
    Application application =
        new TestApplication(
            List.of(
                TestResources.Topics.class,
                TestResources.NewsResource.class,
                TestResources.Selections.class,
                TestResources.OwnSink.class),
            List.of(
                feature,
                new TestResources.Broadcast(broadcaster),
                headlineWriter,
                new TestResources.GuardFilter()));
    this.server =
        serverStart.start(application, Map.of("servlet", new TestResources.TopicServlet(hub)));
  }

  static Fixture start(TestServer.Kind kind) {
    return start(kind, builder -> builder);
  }

  static Fixture start(TestServer.Kind kind, UnaryOperator<SseHub.Builder> configuration) {
    return start(kind, configuration, Map.of());
  }

  static Fixture start(
      TestServer.Kind kind,
      UnaryOperator<SseHub.Builder> configuration,
      Map<String, Application> extraApplications) {
    return start(kind, configuration, extraApplications, feature -> feature);
  }

  /** Starts with the feature answering passing refusals with {@code refusalAnswer}. */
  static Fixture start(
      TestServer.Kind kind,
      UnaryOperator<SseHub.Builder> configuration,
      RefusalAnswer refusalAnswer) {
    return start(kind, configuration, Map.of(), feature -> feature.refusalAnswer(refusalAnswer));
  }

  /** Starts with the feature configured by {@code featureConfig} (an authorizer, say). */
  static Fixture startWithFeature(
      TestServer.Kind kind,
      UnaryOperator<SseHub.Builder> configuration,
      UnaryOperator<SseHubFeature.Builder> featureConfig) {
    return start(kind, configuration, Map.of(), featureConfig);
  }

  private static Fixture start(
      TestServer.Kind kind,
      UnaryOperator<SseHub.Builder> configuration,
      Map<String, Application> extraApplications,
      UnaryOperator<SseHubFeature.Builder> featureConfig) {
    return new Fixture(
        newHub(configuration),
        featureConfig,
        (application, servlets) -> {
          Map<String, Application> applications = new LinkedHashMap<>(extraApplications);
          applications.put("api", application);
          return TestServer.start(kind, applications, servlets);
        });
  }

  /** Starts on Jetty with {@code bufferPool} as the server's buffer pool. */
  static Fixture startOnJetty(ByteBufferPool bufferPool) {
    return new Fixture(
        newHub(builder -> builder),
        (application, servlets) ->
            TestServer.jetty(Map.of("api", application), servlets, bufferPool));
  }

  /**
   * Starts the application on the runtime's HTTP server without servlet container (Grizzly for
   * Jersey).
   */
  static Fixture startWithoutServlet(UnaryOperator<SseHub.Builder> configuration) {
    return startWithoutServlet(configuration, RefusalAnswer.RETRY_STREAM);
  }

  /** As {@link #startWithoutServlet(UnaryOperator)}, answering refusals with {@code answer}. */
  static Fixture startWithoutServlet(
      UnaryOperator<SseHub.Builder> configuration, RefusalAnswer refusalAnswer) {
    return startWithoutServletWithFeature(
        configuration, feature -> feature.refusalAnswer(refusalAnswer));
  }

  /**
   * As {@link #startWithoutServlet(UnaryOperator)}, the feature configured by {@code
   * featureConfig}.
   */
  static Fixture startWithoutServletWithFeature(
      UnaryOperator<SseHub.Builder> configuration,
      UnaryOperator<SseHubFeature.Builder> featureConfig) {
    return new Fixture(
        newHub(configuration),
        featureConfig,
        (application, servlets) -> TestServer.withoutServlet(application));
  }

  private static SseHub newHub(UnaryOperator<SseHub.Builder> configuration) {
    return configuration.apply(SseHub.builder().name("jx" + HUBS.incrementAndGet())).build();
  }

  int port() {
    return server.port();
  }

  RawSseClient get(String target) {
    return get(target, Map.of());
  }

  RawSseClient get(String target, Map<String, String> headers) {
    try {
      return track(RawSseClient.get(port(), target, headers));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawSseClient stalled(String target) {
    try {
      return track(RawSseClient.stalled(port(), target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RawSseClient track(RawSseClient client) {
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  /** Waits until {@code topic} has {@code count} subscribers on the hub. */
  void awaitSubscribers(String topic, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount(topic) == count);
  }

  @Override
  public void close() {
    synchronized (clients) {
      clients.forEach(RawSseClient::close);
    }
    String prefix = "ssekit-" + hub.config().name() + "-";
    try {
      hub.close();
    } finally {
      server.close();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().startsWith(prefix)));
  }
}
