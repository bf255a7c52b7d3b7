package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * Each test is one row of the README's comparison: the same scenario against stock Jersey 4.0.2 SSE
 * (an application without ssekit, at {@code /stock}) and against ssekit (at {@code /api}), in one
 * server.
 */
class StockJerseyComparisonTest extends FixtureTest {
  private StockJersey stock;

  private void start(TestServer.Kind kind, UnaryOperator<SseHub.Builder> configuration) {
    stock = new StockJersey();
    fixture = Fixture.start(kind, configuration, Map.of("stock", StockJersey.application(stock)));
  }

  private RawSseClient stockSubscriber(Map<String, String> headers) {
    int before = stock.registered.get();
    RawSseClient client = fixture.get("/stock/sse", headers);
    await().atMost(TIMEOUT).until(() -> stock.registered.get() > before);
    return client;
  }

  private static OutboundSseEvent event(String id, String name, String data) {
    return new OutboundEvent.Builder().id(id).name(name).data(data).build();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void keepAlive(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder.keepAlive(Duration.ofMillis(200)));
    RawSseClient stockClient = stockSubscriber(Map.of());
    RawSseClient ssekit = fixture.get("/api/b");
    assertThat(ssekit.pollComment(TIMEOUT)).isEqualTo("keep-alive");
    assertThat(stockClient.pollComment(Duration.ofMillis(1500))).as("stock keep-alive").isNull();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void lastEventIdReplay(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    SseBroadcaster stockBroadcaster = stock.broadcaster();
    List<Object> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      stockBroadcaster.broadcast(event(Integer.toString(i), null, "e" + i));
      ids.add(
          fixture.broadcaster.broadcast(event(null, null, "e" + i)).toCompletableFuture().get());
    }
    RawSseClient stockClient = stockSubscriber(Map.of("Last-Event-ID", "1"));
    RawSseClient ssekit = fixture.get("/api/b", Map.of("Last-Event-ID", (String) ids.get(0)));
    fixture.awaitSubscribers("b", 1);
    stockBroadcaster.broadcast(event("4", null, "e4"));
    fixture.broadcaster.broadcast(event(null, null, "e4")).toCompletableFuture().get();
    assertThat(stockClient.poll(TIMEOUT).data()).as("stock: no replay").isEqualTo("e4");
    SsekitColumn.assertReceives(ssekit, "e2", "e3", "e4");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void responseHeaders(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    RawSseClient ssekit = fixture.get("/api/b");
    SsekitColumn.assertStreamHeaders(ssekit);
    assertThat(stockClient.awaitHeaders(TIMEOUT)).isTrue();
    assertThat(stockClient.header("Cache-Control")).as("stock").isNull();
    assertThat(stockClient.header("X-Accel-Buffering")).as("stock").isNull();
    assertThat(stockClient.header("Content-Type")).as("stock").isEqualTo("text/event-stream");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void lineBreaksInEventNamesAndIds(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    stock.broadcaster().broadcast(event("1\r2", "a\nb", "data"));
    ReceivedEvent altered = stockClient.poll(TIMEOUT);
    assertThat(altered.type()).as("stock silently alters the name").isEqualTo("ab");
    assertThat(altered.lastEventId()).as("stock silently alters the id").isEqualTo("12");

    SsekitColumn.assertRefusesLineBreaks(
        fixture.broadcaster, event(null, "a\nb", "data"), event("1\r2", null, "data"));
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void emptyData(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    RawSseClient ssekit = fixture.get("/api/b");
    fixture.awaitSubscribers("b", 1);
    stock.broadcaster().broadcast(event(null, "empty", ""));
    stock.broadcaster().broadcast(event(null, "after", "after"));
    fixture.broadcaster.broadcast(event(null, "empty", "")).toCompletableFuture().get();
    assertThat(stockClient.poll(TIMEOUT).type())
        .as("stock drops the empty event")
        .isEqualTo("after");
    ReceivedEvent empty = ssekit.poll(TIMEOUT);
    assertThat(empty.type()).isEqualTo("empty");
    assertThat(empty.data()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void broadcastStage(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    CompletionStage<?> stockStage = stock.broadcaster().broadcast(event("1", null, "one"));
    assertThat(stockStage.toCompletableFuture()).as("stock: done when broadcast returns").isDone();
    assertThat(stockStage.toCompletableFuture().get())
        .as("stock: a lag estimate")
        .isInstanceOf(Integer.class);
    assertThat(stockClient.poll(TIMEOUT).data()).isEqualTo("one");

    RawSseClient first = fixture.get("/api/b");
    RawSseClient second = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    long delivered = fixture.hub.stats().eventsDelivered();
    Object id =
        fixture
            .broadcaster
            .broadcast(event(null, null, "one"))
            .toCompletableFuture()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    // Queued to every subscriber on completion; counted as delivered once handed to the transport.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(fixture.hub.stats().eventsDelivered()).isEqualTo(delivered + 2));
    assertThat(first.poll(TIMEOUT).lastEventId()).isEqualTo(id);
    assertThat(second.poll(TIMEOUT).lastEventId()).isEqualTo(id);
    fixture.hub.closeTopic("b").toCompletableFuture().get();
    assertThat(fixture.broadcaster.broadcast(event(null, null, "two")).toCompletableFuture())
        .failsWithin(TIMEOUT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void stalledClientBuffering(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    String payload = "x".repeat(64 * 1024);
    int before = stock.registered.get();
    fixture.stalled("/stock/sse");
    await().atMost(TIMEOUT).until(() -> stock.registered.get() > before);
    Object lag = 0;
    for (int i = 0; i < 200; i++) {
      lag = stock.broadcaster().broadcast(event(null, null, payload)).toCompletableFuture().get();
    }
    // Stock buffers events per sink by count (256), whatever their size: here over 6 MB for one
    // client.
    assertThat((Integer) lag).as("stock: events buffered for the stalled sink").isGreaterThan(100);

    fixture.stalled("/api/b");
    fixture.awaitSubscribers("b", 1);
    AtomicLong maxQueued = new AtomicLong();
    for (int i = 0; i < 200 && fixture.hub.subscriberCount("b") > 0; i++) {
      fixture.broadcaster.broadcast(event(null, null, payload)).toCompletableFuture().get();
      maxQueued.accumulateAndGet(fixture.hub.stats().bytesQueued(), Math::max);
    }
    long bound = fixture.hub.config().maxQueuedBytes();
    assertThat(maxQueued.get())
        .as("ssekit: bounded by maxQueuedBytes")
        .isLessThanOrEqualTo(bound + 2 * 70_000);
    await().atMost(TIMEOUT).until(() -> fixture.hub.subscriberCount("b") == 0);
    assertThat(fixture.hub.stats().overflowDisconnects()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void stalledClientThreads(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    String payload = "x".repeat(64 * 1024);
    fixture.stalled("/stock/sink");
    SseEventSink sink = stock.sinks.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    // Until Jersey has written the response head, sends are only queued: wait for the request to
    // leave Jersey.
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                ThreadDumps.threadsInside("org.glassfish.jersey.servlet.ServletContainer.service")
                    .isEmpty());
    CompletableFuture<Void> sending = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 200; i++) {
                  sink.send(event(null, null, payload));
                }
                sending.complete(null);
              } catch (RuntimeException e) {
                sending.completeExceptionally(e);
              }
            },
            "stock-caller");
    caller.setDaemon(true);
    caller.start();
    // Stock: SseEventSink.send writes on the caller's thread to a blocking stream, and stays there.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(TIMEOUT)
        .until(
            () ->
                !sending.isDone()
                    && ThreadDumps.threadsInside(
                            "org.glassfish.jersey.server.ChunkedOutput.flushQueue")
                        .contains("stock-caller"));

    fixture.stalled("/api/b");
    fixture.awaitSubscribers("b", 1);
    CompletableFuture<Void> broadcasting =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 200; i++) {
                fixture
                    .broadcaster
                    .broadcast(event(null, null, payload))
                    .toCompletableFuture()
                    .join();
              }
            });
    broadcasting.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    String hubThreads = "ssekit-" + fixture.hub.config().name();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(ThreadDumps.busyThreads(hubThreads)).isEmpty());
    assertThat(ThreadDumps.threadsInside("org.ssekit.jaxrs.internal.SinkTransport.send")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void noContent(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient closedSink = fixture.get("/stock/closed");
    assertThat(closedSink.awaitEnd(TIMEOUT)).isTrue();
    // An empty 200: to an EventSource, a stream that ended, so it reconnects.
    assertThat(closedSink.status()).as("stock: sink closed at once").isEqualTo(200);
    assertThat(closedSink.header("Content-Type")).isEqualTo("text/event-stream");
    assertThat(closedSink.bodyLength()).isZero();

    fixture.hub.closeTopic("c").toCompletableFuture().get();
    RawSseClient closedTopic = fixture.get("/api/topics/c");
    assertThat(closedTopic.awaitEnd(TIMEOUT)).isTrue();
    assertThat(closedTopic.status()).as("ssekit: closed topic").isEqualTo(204);
  }
}
