package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;

/**
 * The servlet transport's behaviour, run on every container that {@link #containers()} names.
 * Subclasses pick the containers; the compatibility module runs the same suite on Servlet 6.0
 * containers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServletScenarios {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private SseHub hub;
  private TestContainer container;

  /** Returns the containers to run every scenario on. */
  protected abstract Stream<Named<Supplier<TestContainer>>> containers();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  private int start(Supplier<TestContainer> factory, SseHub.Builder hubConfig) throws Exception {
    return start(factory, hubConfig, null);
  }

  private int start(
      Supplier<TestContainer> factory, SseHub.Builder hubConfig, RefusalAnswer refusalAnswer)
      throws Exception {
    hub = hubConfig.build();
    container = factory.get();
    container.servlet("/events", new TopicServlet(hub, refusalAnswer));
    return container.start();
  }

  private int start(Supplier<TestContainer> factory) throws Exception {
    return start(factory, SseHub.builder());
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private String publish(String topic, String data) throws Exception {
    return hub.publish(topic, ServerSentEvent.of(data)).toCompletableFuture().get();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void headersArriveAtOnceWithExactValuesBeforeAnyEvent(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory);
    long before = System.nanoTime();
    RawSseClient client = track(RawSseClient.get(port, "/events?topic=news"));

    assertThat(client.awaitHeaders(Duration.ofSeconds(1))).as("headers within a second").isTrue();
    assertThat(client.headersNanos() - before).isLessThan(Duration.ofSeconds(1).toNanos());
    assertThat(client.status()).isEqualTo(200);
    Map<String, String> headers = client.headers();
    assertThat(headers.get("content-type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(headers.get("cache-control")).isEqualTo("no-cache");
    assertThat(headers.get("x-accel-buffering")).isEqualTo("no");
    assertThat(headers).doesNotContainKey("content-length").doesNotContainKey("content-encoding");
    assertThat(client.pendingEvents()).isZero();
    await().atMost(WAIT).until(() -> hub.subscriberCount("news") == 1);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void multiLineAndUnicodeDataArriveExactly(Supplier<TestContainer> factory) throws Exception {
    int port = start(factory);
    RawSseClient client = track(RawSseClient.get(port, "/events"));
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.subscriberCount("t") == 1);

    String[] data = {
      "a\n\nb\n",
      "cr\ronly",
      "crlf\r\nline",
      "",
      "  leading spaces",
      ":colon",
      "héllo wörld",
      "astral \uD83D\uDE00 \uD834\uDD1E",
      "x".repeat(100_000)
    };
    for (String d : data) {
      publish("t", d);
    }
    hub.publish("t", ServerSentEvent.builder().event("custom").data("typed").build())
        .toCompletableFuture()
        .get();

    for (String d : data) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.type()).isEqualTo("message");
      assertThat(event.data()).isEqualTo(d.replace("\r\n", "\n").replace('\r', '\n'));
      assertThat(event.lastEventId()).isNotEmpty();
    }
    ReceivedEvent typed = client.poll(WAIT);
    assertThat(typed.type()).isEqualTo("custom");
    assertThat(typed.data()).isEqualTo("typed");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void replayAfterLastEventIdThenLiveWithoutDuplicateOrGap(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(publish("r", "e" + i));
    }
    RawSseClient client =
        track(RawSseClient.get(port, "/events?topic=r", Map.of("Last-Event-ID", ids.get(3))));
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    for (int i = 4; i < 10; i++) {
      ReceivedEvent event = client.poll(WAIT);
      assertThat(event.data()).isEqualTo("e" + i);
      assertThat(event.lastEventId()).isEqualTo(ids.get(i));
    }
    String live = publish("r", "live");
    ReceivedEvent event = client.poll(WAIT);
    assertThat(event.data()).isEqualTo("live");
    assertThat(event.lastEventId()).isEqualTo(live);
    assertThat(client.poll(Duration.ofMillis(200))).isNull();

    RawSseClient polyfill =
        track(RawSseClient.get(port, "/events?topic=r&lastEventId=" + ids.get(8)));
    assertThat(polyfill.poll(WAIT).data()).isEqualTo("e9");
    assertThat(polyfill.poll(WAIT).data()).isEqualTo("live");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void malformedOrHugeLastEventIdIsTreatedAsUnknown(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory);
    publish("u", "old");
    for (String bad : new String[] {"nonsense", "z".repeat(6 * 1024), "0-" + "9".repeat(7000)}) {
      RawSseClient client =
          track(RawSseClient.get(port, "/events?topic=u", Map.of("Last-Event-ID", bad)));
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      assertThat(client.status()).isEqualTo(200);
      ReceivedEvent gap = client.poll(WAIT);
      assertThat(gap.type()).isEqualTo(SseHub.GAP_EVENT_TYPE);
      assertThat(gap.data()).isEqualTo("unknown-last-event-id");
    }
  }

  @ParameterizedTest
  @MethodSource("containers")
  void idleStreamsGetKeepAliveComments(Supplier<TestContainer> factory) throws Exception {
    int port = start(factory, SseHub.builder().keepAlive(Duration.ofMillis(200)));
    RawSseClient client = track(RawSseClient.get(port, "/events"));
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    assertThat(client.pollComment(WAIT)).isEqualTo("keep-alive");
    assertThat(client.pollComment(WAIT)).isEqualTo("keep-alive");
    assertThat(hub.stats().keepAlivesSent()).isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closedTopicEndsItsStreamsAndAnswers204Afterwards(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory);
    RawSseClient client = track(RawSseClient.get(port, "/events?topic=c"));
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> hub.subscriberCount("c") == 1);
    publish("c", "last words");
    hub.closeTopic("c").toCompletableFuture().get();

    assertThat(client.poll(WAIT).data()).isEqualTo("last words");
    assertThat(client.awaitEnd(WAIT)).as("stream ends").isTrue();
    await().atMost(WAIT).until(() -> hub.subscriberCount("c") == 0);

    RawSseClient later = track(RawSseClient.get(port, "/events?topic=c"));
    assertThat(later.awaitHeaders(WAIT)).isTrue();
    assertThat(later.status()).isEqualTo(204);
    assertThat(later.awaitEnd(WAIT)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void admissionLimitAnswers503WithRetryAfterWhenSoConfigured(Supplier<TestContainer> factory)
      throws Exception {
    int port =
        start(
            factory,
            SseHub.builder().maxSubscribersPerTopic(1).retryAfter(Duration.ofSeconds(7)),
            RefusalAnswer.SERVICE_UNAVAILABLE);
    RawSseClient first = track(RawSseClient.get(port, "/events?topic=l"));
    assertThat(first.awaitHeaders(WAIT)).isTrue();
    RawSseClient second = track(RawSseClient.get(port, "/events?topic=l"));
    assertThat(second.awaitHeaders(WAIT)).isTrue();
    assertThat(second.status()).isEqualTo(503);
    assertThat(second.headers().get("retry-after")).isEqualTo("7");
    assertThat(first.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void refusalAnswersItsStatusWithAPlainTextReason(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory);
    RawSseClient client = track(RawSseClient.get(port, "/events?deny=1"));
    assertThat(client.awaitEnd(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(403);
    assertThat(client.headers().get("content-type")).startsWith("text/plain");
    assertThat(client.body()).isEqualTo("not allowed here\n");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void stalledClientDoesNotSlowOthersAndIsCutOff(Supplier<TestContainer> factory) throws Exception {
    int port = start(factory, SseHub.builder().stallTimeout(Duration.ofSeconds(3)));
    RawSseClient stalled = track(RawSseClient.stalled(port, "/events?topic=s"));
    List<RawSseClient> fast = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawSseClient client = track(RawSseClient.get(port, "/events?topic=s"));
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      fast.add(client);
    }
    await().atMost(WAIT).until(() -> hub.subscriberCount("s") == 4);

    String payload = "p".repeat(10_000);
    int rounds = 16;
    int perRound =
        50; // 16 x 50 x 10 KB = 8 MB offered to the stalled client, well over the kernel's buffers
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < perRound; i++) {
        hub.publish("s", ServerSentEvent.of(round + "/" + i + ":" + payload));
      }
      // Each round goes out only as fast as the fast clients read it; the stalled one never holds
      // them up.
      for (RawSseClient client : fast) {
        for (int i = 0; i < perRound; i++) {
          ReceivedEvent event = client.poll(WAIT);
          assertThat(event).as("round %d event %d", round, i).isNotNull();
          assertThat(event.data()).startsWith(round + "/" + i + ":");
        }
      }
    }
    await().atMost(WAIT).until(() -> hub.subscriberCount("s") == 3);
    assertThat(hub.stats().overflowDisconnects() + hub.stats().stallDisconnects()).isEqualTo(1);
    // The server ended that stream: once the client reads again it finds the end, not a hung
    // connection.
    stalled.resumeReading();
    assertThat(stalled.awaitEnd(Duration.ofSeconds(30)))
        .as("stalled stream ended by the server")
        .isTrue();
    assertThat(hub.stats().bytesQueued()).isLessThanOrEqualTo(3L * hub.config().maxQueuedBytes());
  }

  @ParameterizedTest
  @MethodSource("containers")
  void vanishedClientsAreRemovedEvenWhenIdle(Supplier<TestContainer> factory) throws Exception {
    Duration keepAlive = Duration.ofSeconds(1);
    int port = start(factory, SseHub.builder().keepAlive(keepAlive));
    List<RawSseClient> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RawSseClient client = RawSseClient.get(port, "/events?topic=v");
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      clients.add(client);
    }
    await().atMost(WAIT).until(() -> hub.subscriberCount("v") == 20);
    for (RawSseClient client : clients) {
      client.close();
    }
    // No event is published: only keep-alives can find the dead connections. The first write after
    // a
    // client vanished may still be accepted by TCP; the next one fails, so the bound is two
    // intervals
    // plus the sweep tick, with slack for a busy machine.
    await().atMost(keepAlive.multipliedBy(4)).until(() -> hub.subscriberCount("v") == 0);
    assertThat(hub.stats().subscribers()).isZero();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void thousandConcurrentStreamsAllReceiveABurstInOrder(Supplier<TestContainer> factory)
      throws Exception {
    // A short keep-alive, so that the vanished clients at the end are found quickly.
    int port = start(factory, SseHub.builder().keepAlive(Duration.ofMillis(500)));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/events?topic=burst");
    List<HttpSseClient> clients = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      clients.add(track(HttpSseClient.get(http, uri)));
    }
    for (HttpSseClient client : clients) {
      assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    }
    await().atMost(WAIT).until(() -> hub.subscriberCount("burst") == 1000);
    int burst = 50;
    for (int i = 0; i < burst; i++) {
      hub.publish("burst", ServerSentEvent.of(Integer.toString(i)));
    }
    for (HttpSseClient client : clients) {
      for (int i = 0; i < burst; i++) {
        ReceivedEvent event = client.poll(WAIT);
        assertThat(event).isNotNull();
        assertThat(event.data()).isEqualTo(Integer.toString(i));
      }
    }
    for (HttpSseClient client : clients) {
      client.close();
    }
    await().atMost(WAIT).until(() -> hub.subscriberCount("burst") == 0);
  }

  @ParameterizedTest
  @MethodSource("containers")
  void h2cStreamsWork(Supplier<TestContainer> factory) throws Exception {
    int port = start(factory);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    // The first request upgrades the connection; the stream is then an HTTP/2 stream on it.
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events?deny=1")).build(),
        HttpResponse.BodyHandlers.discarding());
    HttpSseClient client =
        track(HttpSseClient.get(http, URI.create("http://127.0.0.1:" + port + "/events?topic=h2")));
    HttpResponse<Void> response = client.awaitHeaders(WAIT);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("text/event-stream;charset=UTF-8");
    assertThat(response.headers().firstValue("connection")).isEmpty();
    await().atMost(WAIT).until(() -> hub.subscriberCount("h2") == 1);
    publish("h2", "over\nh2");
    assertThat(client.poll(WAIT).data()).isEqualTo("over\nh2");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void compressionInFrontNeitherCompressesNorBuffersTheStream(Supplier<TestContainer> factory)
      throws Exception {
    hub = SseHub.builder().build();
    container = factory.get().compression();
    container.servlet("/events", new TopicServlet(hub));
    int port = container.start();
    RawSseClient client =
        track(RawSseClient.get(port, "/events?topic=z", Map.of("Accept-Encoding", "gzip")));
    assertThat(client.awaitHeaders(WAIT)).isTrue();
    assertThat(client.headers()).doesNotContainKey("content-encoding");
    await().atMost(WAIT).until(() -> hub.subscriberCount("z") == 1);
    publish("z", "small event");
    assertThat(client.poll(WAIT).data()).isEqualTo("small event");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void servletWithoutAsyncSupportGetsAClearError(Supplier<TestContainer> factory) throws Exception {
    hub = SseHub.builder().build();
    container = factory.get();
    container.servlet("/events", new TopicServlet(hub), false);
    assertMisconfigurationAnswers500(container.start(), "asyncSupported=true");
  }

  @ParameterizedTest
  @MethodSource("containers")
  void filterWithoutAsyncSupportGetsAClearError(Supplier<TestContainer> factory) throws Exception {
    hub = SseHub.builder().build();
    container = factory.get();
    container.filter((request, response, chain) -> chain.doFilter(request, response), false);
    container.servlet("/events", new TopicServlet(hub));
    assertMisconfigurationAnswers500(container.start(), "every filter in its chain");
  }

  private void assertMisconfigurationAnswers500(int port, String expectedAdvice) throws Exception {
    RawSseClient client = track(RawSseClient.get(port, "/events"));
    assertThat(client.awaitEnd(WAIT)).isTrue();
    assertThat(client.status()).isEqualTo(500);
    assertThat(client.body()).contains(expectedAdvice);
    assertThat(hub.stats().subscribers()).isZero();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void committedResponseOrTakenWriterIsRefusedClearly(Supplier<TestContainer> factory)
      throws Exception {
    hub = SseHub.builder().build();
    container = factory.get();
    List<String> errors = new CopyOnWriteArrayList<>();
    ServletStreams streams = ServletStreams.builder(hub).build();
    container.servlet(
        "/writer",
        new HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.getWriter();
            try {
              streams.open(request, response, "w", SseListener.NONE);
            } catch (IllegalStateException e) {
              errors.add(e.getMessage());
            }
            response.getWriter().print("done");
          }
        });
    container.servlet(
        "/committed",
        new HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
            try {
              streams.open(request, response, "w", SseListener.NONE);
            } catch (IllegalStateException e) {
              errors.add(e.getMessage());
            }
          }
        });
    int port = container.start();
    HttpClient http = HttpClient.newHttpClient();
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/writer")).build(),
        HttpResponse.BodyHandlers.ofString());
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/committed")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(errors)
        .containsExactly(
            "response writer already taken: an event stream writes through getOutputStream()",
            "response already committed: an event stream must be opened before anything is written");
    assertThat(hub.stats().subscribers()).isZero();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void contextStopEndsStreamsWithJitteredRetryAndLeavesNoThread(Supplier<TestContainer> factory)
      throws Exception {
    container = factory.get();
    container.listener(new SseHubListener());
    container.servlet("/events", new TopicServlet());
    assertStopEndsStreamsWithJitteredRetry(container.start());
  }

  @ParameterizedTest
  @MethodSource("containers")
  void servletThatBuiltItsHubClosesItOnDestroy(Supplier<TestContainer> factory) throws Exception {
    container = factory.get();
    container.servlet("/events", new TopicServlet());
    assertStopEndsStreamsWithJitteredRetry(container.start());
  }

  private void assertStopEndsStreamsWithJitteredRetry(int port) throws Exception {
    List<RawSseClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RawSseClient client = track(RawSseClient.get(port, "/events?topic=bye"));
      assertThat(client.awaitHeaders(WAIT)).isTrue();
      clients.add(client);
    }
    assertThat(ThreadChecks.ssekitThreads()).isNotEmpty();
    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(
            () -> {
              try {
                container.stopContext();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<Long> retries = new ArrayList<>();
    for (RawSseClient client : clients) {
      Long retry = client.pollRetry(WAIT);
      assertThat(retry).isNotNull();
      retries.add(retry);
      assertThat(client.awaitEnd(WAIT)).isTrue();
    }
    stopped.get();
    assertThat(retries).allSatisfy(r -> assertThat(r).isBetween(1_000L, 10_000L));
    assertThat(retries.stream().distinct().count()).as("jittered").isGreaterThan(1);
    ThreadChecks.awaitNoSsekitThreads();
  }
}
