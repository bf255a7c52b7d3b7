package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.CloseReason;
import org.ssekit.Cors;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.RefusalAnswer;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.PrivateFeedsLeakCheck;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * Authorization, expiry, revocation and CORS of JAX-RS streams ({@link SseHubFeature}) on the
 * {@linkplain JaxrsRuntime#current() runtime under test} (Jersey here, RESTEasy in
 * sse-jaxrs-resteasy) in Jetty 12.1 and Tomcat, behind a real login filter whose principal Jersey's
 * {@code SecurityContext} reports; each answer compared with sse-servlet's, mounted beside it with
 * the same authorizer and origins.
 */
class IdentityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** As {@link TestServer}'s: HTTP/1.1 only, so Jetty needs no compression or HTTP/2 jars. */
  private static final ContainerSettings SETTINGS =
      ContainerSettings.DEFAULTS.withThreads("identity-test", 200).withoutH2c();

  private static final String APP = "http://app.example:8080";
  private static final Authorizer TEMPLATES =
      PrincipalAuthorizer.builder()
          .allowAnyone("news/**")
          .allowAuthenticated("users/{principal}/**", "rooms/*")
          .challenge("Basic realm=\"ssekit-test\"")
          .build();

  private final List<RawSseClient> clients = new ArrayList<>();
  private final AtomicReference<Authorizer> authorizer = new AtomicReference<>(TEMPLATES);
  private SseHub hub;
  private TestContainer container;
  private int port;

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of(
            JaxrsRuntime.current().name() + " on jetty", () -> TestServer.jettyContainer(SETTINGS)),
        Named.of(
            JaxrsRuntime.current().name() + " on tomcat", () -> new TomcatContainer(SETTINGS)));
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(RawSseClient::close);
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  /**
   * The JAX-RS runtime at {@code /api/*} and sse-servlet at {@code /servlet/*}, alike configured.
   */
  private void start(Supplier<TestContainer> factory) throws Exception {
    hub = SseHub.builder().shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000)).build();
    Authorizer current = request -> authorizer.get().authorize(request);
    Cors cors = Cors.builder().allowOrigin(APP).build();
    Application application =
        new TestApplication(
            List.of(TestResources.Selections.class),
            List.of(SseHubFeature.builder(hub).authorizer(current).cors(cors).build()));
    container = factory.get();
    container.filter(new BasicLoginFilter(), true);
    container.startupServlet("/api/*", JaxrsRuntime.current().servlet(application));
    container.servlet("/servlet/*", new EntriesServlet(hub, current, cors));
    container.servlet(
        "/servlet503/*", new EntriesServlet(hub, current, cors, RefusalAnswer.SERVICE_UNAVAILABLE));
    port = container.start();
  }

  private static String query(String... entries) {
    return Stream.of(entries)
        .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private RawSseClient get(String path, String user, String origin, String lastEventId)
      throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (user != null) {
      headers.put("Authorization", BasicLoginFilter.basic(user));
    }
    if (origin != null) {
      headers.put("Origin", origin);
    }
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    RawSseClient client = RawSseClient.get(port, path, headers);
    clients.add(client);
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    return client;
  }

  private String publish(String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get();
  }

  /** The headers a page or an EventSource acts on. */
  private static Map<String, String> identityHeaders(RawSseClient client) {
    Map<String, String> kept = new HashMap<>();
    client
        .headers()
        .forEach(
            (name, value) -> {
              if (name.startsWith("access-control-")
                  || name.equals("vary")
                  || name.equals("www-authenticate")
                  || name.equals("content-type")) {
                kept.put(name, value.replace(" ", "").toLowerCase());
              }
            });
    return kept;
  }

  @ParameterizedTest
  @MethodSource("containers")
  void refusalsAndCorsHeadersAreTheServletsToTheByte(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    record Case(String user, String origin, String query, int status, String body) {}
    List<Case> cases =
        List.of(
            new Case(
                null, null, query("users/alice/inbox"), 401, "sign in to read users/alice/inbox\n"),
            new Case(
                null,
                APP,
                query("news/**", "users/alice/**"),
                401,
                "sign in to read users/alice/**\n"),
            new Case(
                "alice",
                APP,
                query("users/alice/**", "users/*/inbox"),
                403,
                "the signed-in user may not read users/*/inbox\n"),
            new Case(
                "bob",
                "http://evil.example",
                query("users/alice/inbox"),
                403,
                "the signed-in user may not read users/alice/inbox\n"),
            new Case("alice", APP, query("users/alice/**", "rooms/*"), 200, null),
            new Case("alice", "http://evil.example", query("users/alice/**"), 200, null),
            new Case(null, null, query("news/**"), 200, null));
    for (Case c : cases) {
      RawSseClient jaxrs = get("/api/select/entries?" + c.query(), c.user(), c.origin(), null);
      RawSseClient servlet = get("/servlet/x?" + c.query(), c.user(), c.origin(), null);
      assertThat(jaxrs.status()).as("%s", c).isEqualTo(c.status());
      assertThat(servlet.status()).as("%s", c).isEqualTo(c.status());
      assertThat(identityHeaders(jaxrs)).as("%s", c).isEqualTo(identityHeaders(servlet));
      if (c.body() != null) {
        assertThat(jaxrs.awaitEnd(WAIT)).isTrue();
        assertThat(servlet.awaitEnd(WAIT)).isTrue();
        assertThat(jaxrs.body()).isEqualTo(c.body());
        assertThat(servlet.bodyBytes()).isEqualTo(jaxrs.bodyBytes());
      }
      if (APP.equals(c.origin())) {
        assertThat(jaxrs.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(jaxrs.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(jaxrs.header("Vary")).contains("Origin");
      } else {
        assertThat(jaxrs.headers()).doesNotContainKey("access-control-allow-origin");
      }
    }
    assertThat(
            get("/api/select/entries?" + query("users/alice/inbox"), null, null, null)
                .header("WWW-Authenticate"))
        .isEqualTo("Basic realm=\"ssekit-test\"");
    // The annotated resource, with the user in its path: another user's feed is refused.
    assertThat(get("/api/select/users/bob?room=lobby", "alice", null, null).status())
        .isEqualTo(403);
    assertThat(get("/api/select/users/alice?room=lobby", "alice", null, null).status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anUnavailableDecisionIsAPassingRefusalOnBothPathsAndTheReconnectResumes(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    String seen = publish("news/a", "seen");
    authorizer.set(request -> Authorization.unavailable("sessions cannot be checked now"));
    String missed = publish("news/a", "missed");

    RawSseClient jaxrs = get("/api/select/entries?" + query("news/**"), "alice", APP, seen);
    RawSseClient servlet = get("/servlet/x?" + query("news/**"), "alice", APP, seen);
    for (RawSseClient refused : List.of(jaxrs, servlet)) {
      assertThat(refused.awaitEnd(WAIT)).isTrue();
      assertThat(refused.status()).isEqualTo(200);
      assertThat(refused.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
      assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(APP);
      assertThat(refused.body()).matches("retry: [1-9][0-9]{3,}\n\n");
      assertThat(refused.pendingEvents()).isZero();
    }
    assertThat(identityHeaders(jaxrs)).isEqualTo(identityHeaders(servlet));
    RawSseClient unavailable = get("/servlet503/x?" + query("news/**"), "alice", APP, seen);
    assertThat(unavailable.awaitEnd(WAIT)).isTrue();
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.header("Retry-After")).matches("[1-9][0-9]*");
    assertThat(unavailable.header("Content-Type"))
        .isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(unavailable.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(unavailable.body()).isEqualTo("sessions cannot be checked now\n");

    authorizer.set(TEMPLATES);
    for (String path : List.of("/api/select/entries?", "/servlet/x?")) {
      RawSseClient back = get(path + query("news/**"), "alice", APP, seen);
      ReceivedEvent resumed = back.poll(WAIT);
      assertThat(resumed).as(path).isNotNull();
      assertThat(List.of(resumed.lastEventId(), resumed.data())).containsExactly(missed, "missed");
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aPreflightFromAnAllowedOriginIsAnsweredAndFromAnotherIsNot(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> allowed =
        http.send(preflight("/api/select/entries", APP), HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("Authorization, Last-Event-ID, Cache-Control");
    assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    HttpResponse<String> servlet =
        http.send(preflight("/servlet/x", APP), HttpResponse.BodyHandlers.ofString());
    assertThat(servlet.statusCode()).isEqualTo(204);
    for (String name :
        List.of(
            "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
            "Access-Control-Max-Age")) {
      assertThat(allowed.headers().allValues(name)).isEqualTo(servlet.headers().allValues(name));
    }

    HttpResponse<String> other =
        http.send(
            preflight("/api/select/entries", "http://evil.example"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isNotEqualTo(204);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  private HttpRequest preflight(String path, String origin) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + "?entry=a"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .timeout(WAIT)
        .build();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anExpiredAllowanceEndsTheStreamWithARetryAndTheReconnectIsDecidedAgain(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    authorizer.set(request -> Authorization.allowUntil(Instant.now().plusMillis(600)));
    RawSseClient client =
        get("/api/select/entries?" + query("users/alice/**"), "alice", null, null);
    assertThat(client.status()).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    String id = publish("users/alice/inbox", "before");
    assertThat(client.poll(WAIT).data()).isEqualTo("before");

    assertThat(client.pollRetry(WAIT)).isBetween(1000L, 2000L);
    assertThat(client.awaitEnd(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.stats().streamsClosed(CloseReason.EXPIRED) == 1);

    authorizer.set(request -> Authorization.unauthenticated("session ended"));
    RawSseClient refused = get("/api/select/entries?" + query("users/alice/**"), "alice", null, id);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.awaitEnd(WAIT)).isTrue();
    assertThat(refused.body()).isEqualTo("session ended\n");
    authorizer.set(TEMPLATES);
    publish("users/alice/inbox", "after");
    RawSseClient again = get("/api/select/entries?" + query("users/alice/**"), "alice", null, id);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.poll(WAIT).data()).isEqualTo("after");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closeStreamsOfEndsOnlyThatUsersStreamsOnBothPaths(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    Set<String> banned = ConcurrentHashMap.newKeySet();
    authorizer.set(
        request ->
            request.principal().isPresent() && banned.contains(request.principalName())
                ? Authorization.forbidden("banned")
                : TEMPLATES.authorize(request));
    RawSseClient aliceApi =
        get("/api/select/entries?" + query("users/alice/**"), "alice", null, null);
    RawSseClient aliceServlet =
        get("/servlet/x?" + query("users/alice/inbox"), "alice", null, null);
    RawSseClient bob = get("/api/select/entries?" + query("rooms/*"), "bob", null, null);
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 3);

    banned.add("alice");
    assertThat(hub.closeStreamsOf("alice")).isEqualTo(2);

    for (RawSseClient alice : List.of(aliceApi, aliceServlet)) {
      assertThat(alice.pollRetry(WAIT)).isBetween(1000L, 2000L);
      assertThat(alice.awaitEnd(WAIT)).isTrue();
    }
    publish("rooms/lobby", "still here");
    assertThat(bob.poll(WAIT).data()).isEqualTo("still here");
    RawSseClient refused =
        get("/api/select/entries?" + query("users/alice/**"), "alice", null, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(hub.stats().streamsClosed(CloseReason.REVOKED)).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void manyUsersWithRandomSelectionsAndReconnectsNeverReceiveAForbiddenEvent(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    long seed = System.nanoTime();
    System.out.println("leak check seed " + seed);
    PrivateFeedsLeakCheck.Result result =
        PrivateFeedsLeakCheck.run(
            hub,
            port,
            entries -> "/api/select/entries?" + query(entries.toArray(String[]::new)),
            60,
            4,
            seed);
    assertThat(result.allowedStreams()).isPositive();
    assertThat(result.refusedStreams()).isPositive();
    assertThat(result.events()).isPositive();
  }

  /**
   * sse-servlet's stream of the {@code entry} parameters, with the test's authorizer and origins.
   */
  static final class EntriesServlet extends SseServlet {
    private static final long serialVersionUID = 1L;
    private final transient Authorizer authorizer;
    private final transient Cors cors;
    private final RefusalAnswer refusalAnswer;

    EntriesServlet(SseHub hub, Authorizer authorizer, Cors cors) {
      this(hub, authorizer, cors, RefusalAnswer.RETRY_STREAM);
    }

    EntriesServlet(SseHub hub, Authorizer authorizer, Cors cors, RefusalAnswer refusalAnswer) {
      super(hub);
      this.authorizer = authorizer;
      this.cors = cors;
      this.refusalAnswer = refusalAnswer;
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String[] entries = request.getParameterValues("entry");
      return entries == null
          ? Admission.refuse(400, "missing query parameter: entry")
          : Admission.accept(Selection.of(entries));
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return builder.authorizer(authorizer).cors(cors).refusalAnswer(refusalAnswer);
    }
  }
}
