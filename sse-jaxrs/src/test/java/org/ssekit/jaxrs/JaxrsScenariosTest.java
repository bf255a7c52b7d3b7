package org.ssekit.jaxrs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.internal.EventStreamEncoder;
import org.ssekit.testkit.RawSseClient;

/**
 * The JAX-RS adapter on Jersey 4.0.2, in embedded Jetty 12.1 ee11 and Tomcat 11 (the servlet write
 * path); rerun on Jersey 3.1 and on RESTEasy 6.2 and 7.0 by the modules that set {@link
 * JaxrsRuntime#PROPERTY}.
 */
class JaxrsScenariosTest extends FixtureTest {

  /** The runtime's own event builder, as resources get it from {@code Sse.newEventBuilder()}. */
  private static OutboundSseEvent.Builder events() {
    return JaxrsRuntime.current().newEventBuilder();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void headersAreFlushedBeforeTheFirstEvent(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    for (String target : List.of("/api/topics/quiet", "/api/b", "/api/news")) {
      RawSseClient client = fixture.get(target);
      assertThat(client.awaitHeaders(TIMEOUT)).as(target).isTrue();
      assertThat(client.status()).as(target).isEqualTo(200);
      assertThat(client.header("Content-Type"))
          .as(target)
          .isEqualTo("text/event-stream;charset=UTF-8");
      assertThat(client.header("Cache-Control")).as(target).isEqualTo("no-cache");
      assertThat(client.header("X-Accel-Buffering")).as(target).isEqualTo("no");
      assertThat(client.bodyLength()).as(target).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void dataIsFramedExactlyAsTheCoreEncodesIt(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient registered = fixture.get("/api/b");
    RawSseClient annotated = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    List<String> data =
        List.of(
            "two\nlines",
            "carriage\rreturn",
            "cr\r\nlf",
            "",
            "trailing\n",
            "\n",
            "h\u00e9llo \u2713 \uD83C\uDF89",
            "tab\tand: colon");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (String text : data) {
      OutboundSseEvent event = events().name("edge").data(text).build();
      String id = (String) fixture.broadcaster.broadcast(event).toCompletableFuture().get();
      expected.write(
          EventStreamEncoder.encode(
              ServerSentEvent.builder().id(id).event("edge").data(text).build()));
    }
    byte[] bytes = expected.toByteArray();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                registered.bodyLength() >= bytes.length && annotated.bodyLength() >= bytes.length);
    assertThat(new String(registered.bodyBytes(), UTF_8)).isEqualTo(new String(bytes, UTF_8));
    assertThat(registered.bodyBytes()).isEqualTo(bytes);
    assertThat(annotated.bodyBytes()).isEqualTo(bytes);
    for (String text : data) {
      ReceivedEvent received = registered.poll(TIMEOUT);
      assertThat(received.type()).isEqualTo("edge");
      assertThat(received.data()).isEqualTo(text.replace("\r\n", "\n").replace('\r', '\n'));
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void objectDataIsSerialisedOnceWithTheApplicationsWriter(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient first = fixture.get("/api/b");
    RawSseClient second = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    TestResources.Headline headline = new TestResources.Headline("Rain \u2614", 1);
    fixture
        .broadcaster
        .broadcast(
            events()
                .name("headline")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(TestResources.Headline.class, headline)
                .build())
        .toCompletableFuture()
        .get();
    String json = TestResources.HeadlineWriter.json(headline);
    for (RawSseClient client : List.of(first, second)) {
      ReceivedEvent event = client.poll(TIMEOUT);
      assertThat(event.type()).isEqualTo("headline");
      assertThat(event.data()).isEqualTo(json).contains("\n");
      assertThat(new String(client.bodyBytes(), UTF_8))
          .contains("data: {\ndata:   \"title\" : \"Rain \u2614\",\n");
    }
    assertThat(fixture.headlineWriter.writes).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void lastEventIdReplaysRetainedEventsThenLiveOnesWithoutGapOrDuplicate(TestServer.Kind kind)
      throws Exception {
    fixture = Fixture.start(kind);
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 5; i++) {
      ids.add(fixture.hub.publish("r", ServerSentEvent.of("e" + i)).toCompletableFuture().get());
    }
    RawSseClient header = fixture.get("/api/topics/r", Map.of("Last-Event-ID", ids.get(1)));
    RawSseClient query = fixture.get("/api/topics/r?lastEventId=" + ids.get(1));
    fixture.awaitSubscribers("r", 2);
    // A client that joins while events are being published gets each one once, from its id on.
    CompletableFuture<Void> publisher =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 5; i < 300; i++) {
                ids.add(
                    fixture
                        .hub
                        .publish("r", ServerSentEvent.of("e" + i))
                        .toCompletableFuture()
                        .join());
              }
            });
    await().atMost(TIMEOUT).until(() -> ids.size() > 50);
    int joinedAfter = ids.size() - 1;
    RawSseClient joining =
        fixture.get("/api/topics/r", Map.of("Last-Event-ID", ids.get(joinedAfter)));
    publisher.get();
    assertThat(dataOf(header, 298)).isEqualTo(range(2, 300));
    assertThat(dataOf(query, 298)).isEqualTo(range(2, 300));
    assertThat(dataOf(joining, 299 - joinedAfter)).isEqualTo(range(joinedAfter + 1, 300));
    assertThat(header.poll(Duration.ofMillis(200))).isNull();
    assertThat(joining.poll(Duration.ofMillis(200))).isNull();
  }

  private static List<String> dataOf(RawSseClient client, int count) throws InterruptedException {
    List<String> data = new ArrayList<>();
    ReceivedEvent event;
    while (data.size() < count && (event = client.poll(TIMEOUT)) != null) {
      data.add(event.data());
    }
    return data;
  }

  private static List<String> range(int from, int to) {
    List<String> data = new ArrayList<>();
    for (int i = from; i < to; i++) {
      data.add("e" + i);
    }
    return data;
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void aClosedTopicAnswers204(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    fixture.hub.closeTopic("gone").toCompletableFuture().get();
    fixture.hub.closeTopic("b").toCompletableFuture().get();
    for (String target : List.of("/api/topics/gone", "/api/b")) {
      RawSseClient client = fixture.get(target);
      assertThat(client.awaitEnd(TIMEOUT)).as(target).isTrue();
      assertThat(client.status()).as(target).isEqualTo(204);
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void anAdmissionLimitAnswers503WithRetryAfterWhenSoConfigured(TestServer.Kind kind)
      throws Exception {
    fixture =
        Fixture.start(
            kind, builder -> builder.maxSubscribersPerTopic(1), RefusalAnswer.SERVICE_UNAVAILABLE);
    RawSseClient admitted = fixture.get("/api/topics/full");
    fixture.awaitSubscribers("full", 1);
    RawSseClient refused = fixture.get("/api/topics/full");
    assertThat(refused.awaitEnd(TIMEOUT)).isTrue();
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(admitted.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void idleStreamsGetKeepAliveComments(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind, builder -> builder.keepAlive(Duration.ofMillis(100)));
    RawSseClient client = fixture.get("/api/topics/idle");
    assertThat(client.pollComment(TIMEOUT)).isEqualTo("keep-alive");
    assertThat(client.pollComment(TIMEOUT)).isEqualTo("keep-alive");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void onCloseIsCalledExactlyOnceWhenTheClientDisconnects(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind, builder -> builder.keepAlive(Duration.ofMillis(50)));
    AtomicInteger closes = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    fixture.broadcaster.onClose(sink -> closes.incrementAndGet());
    fixture.broadcaster.onError((sink, error) -> errors.incrementAndGet());
    RawSseClient client = fixture.get("/api/b");
    fixture.awaitSubscribers("b", 1);
    client.close();
    await().atMost(TIMEOUT).until(() -> closes.get() == 1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(TIMEOUT)
        .until(() -> closes.get() == 1 && errors.get() == 0);
    assertThat(fixture.hub.subscriberCount("b")).isZero();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void closingTheBroadcasterEndsTheStreamsOfItsOwnSinksOnly(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    AtomicInteger closes = new AtomicInteger();
    fixture.broadcaster.onClose(sink -> closes.incrementAndGet());
    RawSseClient registered = fixture.get("/api/b");
    RawSseClient annotated = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    fixture.broadcaster.close();
    assertThat(registered.awaitEnd(TIMEOUT)).isTrue();
    await().atMost(TIMEOUT).until(() -> closes.get() == 1);
    fixture.awaitSubscribers("b", 1);
    fixture.hub.publish("b", ServerSentEvent.of("after")).toCompletableFuture().get();
    assertThat(annotated.poll(TIMEOUT).data()).isEqualTo("after");
    assertThat(closes).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void aSinkTheApplicationWritesItselfIsLeftToTheRuntime(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient client = fixture.get("/api/own");
    ReceivedEvent event = client.poll(TIMEOUT);
    assertThat(event).isNotNull();
    assertThat(event.type()).isEqualTo("own");
    assertThat(event.data()).isEqualTo("written by the runtime");
    assertThat(client.awaitEnd(TIMEOUT)).isTrue();
    assertThat(client.status()).isEqualTo(200);
    assertThat(fixture.hub.stats().subscribers()).isZero();
  }

  /**
   * Many clients of both forms at once, while events are published: each stream is found on its own
   * request (on RESTEasy, the sink registered on that request's thread), none is crossed with
   * another's, and every client then gets every live event, in order, with its id.
   */
  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void concurrentSubscribersOfBothFormsEachGetTheirOwnIdenticalStream(TestServer.Kind kind)
      throws Exception {
    fixture = Fixture.start(kind);
    int clients = 24;
    ExecutorService connecting = Executors.newFixedThreadPool(clients);
    List<Future<RawSseClient>> opened = new ArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    try {
      for (int i = 0; i < clients; i++) {
        String target = i % 2 == 0 ? "/api/b" : "/api/topics/b";
        opened.add(
            connecting.submit(
                () -> {
                  assertThat(gate.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                  return fixture.get(target);
                }));
      }
      // Events published while the clients connect: each client gets the same suffix of them.
      gate.countDown();
      for (int i = 0; i < 20; i++) {
        fixture.hub.publish("b", ServerSentEvent.of("early " + i)).toCompletableFuture().get();
      }
      List<RawSseClient> all = new ArrayList<>();
      for (Future<RawSseClient> client : opened) {
        all.add(client.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }
      fixture.awaitSubscribers("b", clients);
      for (RawSseClient client : all) {
        assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
        assertThat(client.status()).isEqualTo(200);
      }
      List<ServerSentEvent> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id =
            fixture.hub.publish("b", ServerSentEvent.of("live " + i)).toCompletableFuture().get();
        expected.add(ServerSentEvent.builder().id(id).data("live " + i).build());
      }
      for (RawSseClient client : all) {
        List<ReceivedEvent> received = new ArrayList<>();
        while (received.isEmpty() || !received.get(received.size() - 1).data().equals("live 9")) {
          ReceivedEvent event = client.poll(TIMEOUT);
          assertThat(event).as("events so far: %s", received).isNotNull();
          received.add(event);
        }
        List<ReceivedEvent> live = received.subList(received.size() - 10, received.size());
        for (int i = 0; i < 10; i++) {
          assertThat(live.get(i).data()).isEqualTo(expected.get(i).data());
          assertThat(live.get(i).lastEventId()).isEqualTo(expected.get(i).id());
        }
      }
    } finally {
      connecting.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void servletAndJaxrsSubscribersReceiveIdenticalStreams(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient servlet = fixture.get("/servlet/news");
    RawSseClient broadcasterSink = fixture.get("/api/news");
    RawSseClient annotated = fixture.get("/api/topics/news");
    fixture.awaitSubscribers("news", 3);
    HttpResponse<String> posted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fixture.port() + "/api/news"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("Hello\nworld"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(202);
    String second =
        fixture
            .hub
            .publish("news", ServerSentEvent.builder().event("x").data("\u00fcber").build())
            .toCompletableFuture()
            .get();
    WireIdentity.assertEveryClientReceivedExactly(
        List.of(servlet, broadcasterSink, annotated),
        List.of(
            ServerSentEvent.builder()
                .id(posted.body())
                .event("headline")
                .data("Hello\nworld")
                .build(),
            ServerSentEvent.builder().id(second).event("x").data("\u00fcber").build()),
        TIMEOUT);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void jerseyFiltersStillAuthoriseAndDecorateStreams(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient anonymous = fixture.get("/api/topics/private-1");
    assertThat(anonymous.awaitEnd(TIMEOUT)).isTrue();
    assertThat(anonymous.status()).isEqualTo(401);
    RawSseClient authorised =
        fixture.get("/api/topics/private-1", Map.of("Authorization", "Bearer x"));
    fixture.awaitSubscribers("private-1", 1);
    assertThat(authorised.awaitHeaders(TIMEOUT)).isTrue();
    assertThat(authorised.header("X-Guarded")).isEqualTo("yes");
    assertThat(authorised.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    fixture.hub.publish("private-1", ServerSentEvent.of("secret")).toCompletableFuture().get();
    assertThat(authorised.poll(TIMEOUT).data()).isEqualTo("secret");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void annotatedTopicsResolvePathParameters(TestServer.Kind kind) throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient client = fixture.get("/api/rooms/42");
    fixture.awaitSubscribers("room-42", 1);
    fixture.hub.publish("room-42", ServerSentEvent.of("hi")).toCompletableFuture().get();
    assertThat(client.poll(TIMEOUT).data()).isEqualTo("hi");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void aStalledClientNeitherDelaysOthersNorHoldsAThreadAndItsQueueIsBounded(TestServer.Kind kind)
      throws Exception {
    long maxQueuedBytes = 64 * 1024;
    fixture = Fixture.start(kind, builder -> builder.maxQueuedBytes(maxQueuedBytes));
    AtomicInteger closes = new AtomicInteger();
    fixture.broadcaster.onClose(sink -> closes.incrementAndGet());
    RawSseClient stalled = fixture.stalled("/api/b");
    RawSseClient healthy = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    String payload = "x".repeat(16 * 1024);
    AtomicLong maxQueued = new AtomicLong();
    long started = System.nanoTime();
    for (int i = 0; i < 800; i++) {
      fixture.broadcaster.broadcast(events().data(payload + i).build()).toCompletableFuture().get();
      maxQueued.accumulateAndGet(fixture.hub.stats().bytesQueued(), Math::max);
      ReceivedEvent event = healthy.poll(TIMEOUT);
      assertThat(event).as("event %d", i).isNotNull();
      assertThat(event.data()).isEqualTo(payload + i);
    }
    Duration publishing = Duration.ofNanos(System.nanoTime() - started);
    // 13 MB went out while one client read nothing: it was cut off at its bound, nobody waited for
    // it.
    assertThat(publishing).isLessThan(Duration.ofSeconds(20));
    assertThat(maxQueued.get()).isLessThanOrEqualTo(maxQueuedBytes + 2 * (payload.length() + 64));
    await().atMost(TIMEOUT).until(() -> closes.get() == 1);
    assertThat(fixture.hub.stats().overflowDisconnects() + fixture.hub.stats().stallDisconnects())
        .isEqualTo(1);
    assertThat(ThreadDumps.threadsInside(JaxrsRuntime.current().blockingWriteFrame())).isEmpty();
    await()
        .atMost(TIMEOUT)
        .until(() -> ThreadDumps.busyThreads("ssekit-" + fixture.hub.config().name()).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void broadcastCompletesWithTheAssignedIdAndFailsOnAClosedTopic(TestServer.Kind kind)
      throws Exception {
    fixture = Fixture.start(kind);
    RawSseClient client = fixture.get("/api/b");
    fixture.awaitSubscribers("b", 1);
    Object id =
        fixture
            .broadcaster
            .broadcast(events().id("ignored").data("one").build())
            .toCompletableFuture()
            .get();
    assertThat(client.poll(TIMEOUT).lastEventId()).isEqualTo(id).isNotEqualTo("ignored");
    fixture.hub.closeTopic("b").toCompletableFuture().get();
    CompletableFuture<?> refused =
        fixture.broadcaster.broadcast(events().data("two").build()).toCompletableFuture();
    assertThat(refused)
        .failsWithin(TIMEOUT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(client.awaitEnd(TIMEOUT)).isTrue();
  }
}
