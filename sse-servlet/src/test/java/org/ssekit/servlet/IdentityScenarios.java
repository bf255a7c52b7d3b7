package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.CloseReason;
import org.ssekit.Cors;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.PrivateFeedsLeakCheck;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;

/**
 * Authorization, expiry and CORS of {@link SseServlet} streams on every container that {@link
 * #containers()} names, behind a real login filter ({@link BasicLoginFilter}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IdentityScenarios {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String APP = "http://app.example:8080";

  /** Users' own subtrees, rooms for anyone signed in, news for everyone. */
  static final Authorizer TEMPLATES =
      PrincipalAuthorizer.builder()
          .allowAnyone("news/**")
          .allowAuthenticated("users/{principal}/**", "rooms/*")
          .allowRole("admin", "**")
          .challenge("Basic realm=\"ssekit-test\"")
          .build();

  private final List<RawSseClient> clients = new ArrayList<>();
  private final AtomicReference<Authorizer> authorizer = new AtomicReference<>(TEMPLATES);
  private SseHub hub;
  private TestContainer container;
  private int port;

  /** Returns the containers to run every scenario on. */
  protected abstract Stream<Named<Supplier<TestContainer>>> containers();

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(RawSseClient::close);
    clients.clear();
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  /** The selection servlet behind the login filter, authorized by {@link #authorizer}. */
  private void start(Supplier<TestContainer> factory) throws Exception {
    authorizer.set(TEMPLATES); // the instance outlives each test (PER_CLASS)
    hub = SseHub.builder().shutdownRetry(Duration.ofMillis(1000), Duration.ofMillis(2000)).build();
    Authorizer current = request -> authorizer.get().authorize(request);
    container = factory.get();
    container.filter(new BasicLoginFilter(), true);
    container.servlet(
        "/select",
        new ConfiguredSelectionServlet(
            hub,
            builder -> builder.authorizer(current).cors(Cors.builder().allowOrigin(APP).build())));
    port = container.start();
  }

  private RawSseClient get(String user, String lastEventId, String origin, String... entries)
      throws Exception {
    String query =
        Stream.of(entries)
            .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    Map<String, String> headers = new HashMap<>();
    if (user != null) {
      headers.put("Authorization", BasicLoginFilter.basic(user));
    }
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    if (origin != null) {
      headers.put("Origin", origin);
    }
    RawSseClient client = RawSseClient.get(port, "/select?" + query, headers);
    clients.add(client);
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    return client;
  }

  private String publish(String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get();
  }

  private static void assertRefused(RawSseClient client, int status, String reason)
      throws Exception {
    assertThat(client.awaitEnd(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(status);
    assertThat(client.header("Content-Type")).isEqualToIgnoringCase("text/plain;charset=UTF-8");
    assertThat(client.body()).isEqualTo(reason + "\n");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anAnonymousClientIsChallengedOnConnectAndOnReconnect(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    String id = publish("users/alice/inbox", "secret");

    for (String lastEventId : new String[] {null, id}) {
      RawSseClient client = get(null, lastEventId, null, "news/**", "users/alice/inbox");
      assertRefused(client, 401, "sign in to read users/alice/inbox");
      assertThat(client.header("WWW-Authenticate")).isEqualTo("Basic realm=\"ssekit-test\"");
    }
    RawSseClient news = get(null, null, null, "news/**");
    assertThat(news.status()).isEqualTo(200);
    assertThat(hub.stats().streamsOpened()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aUserReadsHerOwnTopicsNeverAnothersNotBySelectorNorByReplay(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    String first = publish("users/alice/inbox", "a1");
    publish("users/bob/inbox", "b1");
    publish("users/alice/inbox", "a2");

    // A replay after a1: her own a2 only, then live events of her topics only.
    RawSseClient alice = get("alice", first, null, "users/alice/**", "rooms/lobby");
    assertThat(alice.status()).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    publish("users/bob/inbox", "b2");
    publish("rooms/lobby", "r1");
    publish("users/alice/settings", "a3");
    List<String> data = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ReceivedEvent event = alice.poll(WAIT);
      assertThat(event).isNotNull();
      data.add(event.data());
    }
    assertThat(data).containsExactly("a2", "r1", "a3");

    // Another user's topics, by name, by a selector, by a broader selector: on connect and on a
    // reconnect with an id.
    for (String lastEventId : new String[] {null, first}) {
      for (String entry : new String[] {"users/bob/inbox", "users/*/inbox", "users/**"}) {
        RawSseClient refused = get("alice", lastEventId, null, "users/alice/**", entry);
        assertRefused(refused, 403, "the signed-in user may not read " + entry);
        assertThat(refused.header("WWW-Authenticate")).isNull();
      }
    }
    assertThat(alice.poll(Duration.ofMillis(200))).isNull();
    assertThat(alice.body()).doesNotContain("b1").doesNotContain("b2");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anExpiredAllowanceEndsTheStreamWithARetryAndTheReconnectIsDecidedAgain(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    AtomicReference<Instant> expiry = new AtomicReference<>();
    authorizer.set(
        request -> {
          Instant until = Instant.now().plusMillis(600);
          expiry.set(until);
          return Authorization.allowUntil(until);
        });
    RawSseClient client = get("alice", null, null, "users/alice/**");
    assertThat(client.status()).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 1);
    String id = publish("users/alice/inbox", "before");
    assertThat(client.poll(WAIT).data()).isEqualTo("before");

    assertThat(client.awaitEnd(WAIT)).isTrue();
    Instant ended = Instant.now();
    // The stated precision: within a few milliseconds of the instant; 300 ms of slack for a busy
    // machine and the socket.
    assertThat(ended).isAfterOrEqualTo(expiry.get()).isBefore(expiry.get().plusMillis(300));
    assertThat(client.pollRetry(WAIT)).isBetween(1000L, 2000L);
    await().atMost(WAIT).until(() -> hub.stats().streamsClosed(CloseReason.EXPIRED) == 1);

    // The reconnect is decided again: refused now...
    authorizer.set(request -> Authorization.unauthenticated("Basic realm=\"x\"", "session ended"));
    RawSseClient refused = get("alice", id, null, "users/alice/**");
    assertRefused(refused, 401, "session ended");
    // ...or allowed again, resuming after its last event.
    authorizer.set(TEMPLATES);
    publish("users/alice/inbox", "after");
    RawSseClient again = get("alice", id, null, "users/alice/**");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.poll(WAIT).data()).isEqualTo("after");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anAllowanceThatAlreadyExpiredAndAFailingAuthorizerAreRefusedNever500(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    authorizer.set(request -> Authorization.allowUntil(Instant.now().minusSeconds(1)));
    RawSseClient expired = get("alice", null, null, "users/alice/**");
    assertRefused(expired, 401, "authorization expired");
    assertThat(expired.header("WWW-Authenticate")).isEqualTo(Authorization.DEFAULT_CHALLENGE);

    authorizer.set(
        request -> {
          throw new IllegalStateException("token store down");
        });
    assertRefused(get("alice", null, null, "users/alice/**"), 403, "authorization failed");
    authorizer.set(request -> null);
    assertRefused(get("alice", null, null, "users/alice/**"), 403, "authorization failed");
    assertThat(hub.stats().streamsOpened()).isZero();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void anAuthorizerThatCannotDecideNowGetsARetryAndTheReconnectResumes(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    String seen = publish("users/alice/inbox", "seen");
    authorizer.set(request -> Authorization.unavailable("sessions cannot be checked now"));
    String missed = publish("users/alice/inbox", "missed");

    RawSseClient refused = get("alice", seen, null, "users/alice/**");
    assertThat(refused.awaitEnd(WAIT)).isTrue();
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(refused.body()).matches("retry: [1-9][0-9]{3,}\n\n");
    assertThat(hub.stats().streamsOpened()).isZero();

    authorizer.set(TEMPLATES);
    RawSseClient back = get("alice", seen, null, "users/alice/**");
    ReceivedEvent resumed = back.poll(WAIT);
    assertThat(resumed).isNotNull();
    assertThat(List.of(resumed.lastEventId(), resumed.data())).containsExactly(missed, "missed");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closeStreamsOfEndsOnlyThatUsersStreamsWithARetryAndTheBannedReconnectIsRefused(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    Set<String> banned = ConcurrentHashMap.newKeySet();
    authorizer.set(
        request ->
            request.principal().isPresent() && banned.contains(request.principalName())
                ? Authorization.forbidden("banned")
                : TEMPLATES.authorize(request));
    RawSseClient aliceInbox = get("alice", null, null, "users/alice/inbox");
    RawSseClient aliceRooms = get("alice", null, null, "users/alice/**", "rooms/*");
    RawSseClient bob = get("bob", null, null, "users/bob/**", "rooms/*");
    RawSseClient anonymous = get(null, null, null, "news/**");
    await().atMost(WAIT).until(() -> hub.stats().subscribers() == 4);

    banned.add("alice");
    assertThat(hub.closeStreamsOf("alice")).isEqualTo(2);

    for (RawSseClient alice : List.of(aliceInbox, aliceRooms)) {
      assertThat(alice.pollRetry(WAIT)).isBetween(1000L, 2000L);
      assertThat(alice.awaitEnd(WAIT)).isTrue();
    }
    await().atMost(WAIT).until(() -> hub.stats().streamsClosed(CloseReason.REVOKED) == 2);
    publish("rooms/lobby", "still here");
    publish("news/today", "for everyone");
    assertThat(bob.poll(WAIT).data()).isEqualTo("still here");
    assertThat(anonymous.poll(WAIT).data()).isEqualTo("for everyone");
    assertRefused(get("alice", null, null, "users/alice/inbox"), 403, "banned");
    assertThat(hub.closeStreamsOf("alice")).isZero();
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
            entries ->
                "/select?"
                    + entries.stream()
                        .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&")),
            60,
            4,
            seed);
    assertThat(result.allowedStreams()).isPositive();
    assertThat(result.refusedStreams()).isPositive();
    assertThat(result.events()).isPositive();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void allowedOriginsGetExactCorsHeadersOnStreamsAndRefusalsOthersNone(
      Supplier<TestContainer> factory) throws Exception {
    start(factory);
    RawSseClient allowed = get("alice", null, APP, "users/alice/**");
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(allowed.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(allowed.header("Vary")).contains("Origin");

    RawSseClient refused = get(null, null, APP, "users/alice/**");
    assertRefused(refused, 401, "sign in to read users/alice/**");
    assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(refused.header("Access-Control-Allow-Credentials")).isEqualTo("true");

    for (String origin : new String[] {"http://evil.example", "null"}) {
      RawSseClient other = get("alice", null, origin, "users/alice/**");
      assertThat(other.status()).isEqualTo(200);
      assertThat(other.headers())
          .doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials");
    }
    RawSseClient none = get("alice", null, null, "users/alice/**");
    assertThat(none.headers()).doesNotContainKey("access-control-allow-origin");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void aPreflightFromAnAllowedOriginIsAnsweredAndFromAnotherIsNot(Supplier<TestContainer> factory)
      throws Exception {
    start(factory);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> allowed = http.send(preflight(APP), HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("Authorization, Last-Event-ID, Cache-Control");
    assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

    HttpResponse<String> other =
        http.send(preflight("http://evil.example"), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(200); // HttpServlet's own OPTIONS answer
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(other.headers().firstValue("Allow")).isPresent();
  }

  private HttpRequest preflight(String origin) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/select?entry=a"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .timeout(WAIT)
        .build();
  }

  /** {@link SelectionServlet} with its streams configured by the test. */
  static final class ConfiguredSelectionServlet extends SseServlet {
    private static final long serialVersionUID = 1L;
    private final transient UnaryOperator<ServletStreams.Builder> configuration;
    private final transient SelectionServlet admission;

    ConfiguredSelectionServlet(SseHub hub, UnaryOperator<ServletStreams.Builder> configuration) {
      super(hub);
      this.configuration = configuration;
      this.admission = new SelectionServlet(hub);
    }

    @Override
    protected Admission admit(jakarta.servlet.http.HttpServletRequest request) {
      return admission.admit(request);
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return configuration.apply(builder);
    }
  }
}
