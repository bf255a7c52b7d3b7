package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * Each test is one row of the README's comparison with stock RESTEasy SSE: the same scenario
 * against RESTEasy's own {@code Sse}, {@code SseBroadcaster} and {@code SseEventSink} (an
 * application without ssekit, at {@code /stock}) and against ssekit (at {@code /api}), in one
 * server; on RESTEasy 6.2 here and 7.0 in sse-jaxrs-resteasy7.
 */
class StockRestEasyComparisonTest extends FixtureTest {
  private static final String PAYLOAD = "x".repeat(64 * 1024);
  private StockRestEasy stock;

  private void start(TestServer.Kind kind, UnaryOperator<SseHub.Builder> hub) {
    stock = new StockRestEasy();
    fixture = Fixture.start(kind, hub, Map.of("stock", StockRestEasy.application(stock)));
  }

  private RawSseClient stockSubscriber(Map<String, String> headers) {
    int before = stock.registered.get();
    RawSseClient client = fixture.get("/stock/sse", headers);
    await().atMost(TIMEOUT).until(() -> stock.registered.get() > before);
    return client;
  }

  private static OutboundSseEvent event(String id, String name, String data) {
    OutboundSseEvent.Builder builder = JaxrsRuntime.current().newEventBuilder().data(data);
    if (id != null) {
      builder.id(id);
    }
    if (name != null) {
      builder.name(name);
    }
    return builder.build();
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
    RawSseClient first = stockSubscriber(Map.of());
    List<Object> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      stock.broadcaster().broadcast(event(Integer.toString(i), null, "e" + i));
      ids.add(
          fixture.broadcaster.broadcast(event(null, null, "e" + i)).toCompletableFuture().get());
    }
    assertThat(first.poll(TIMEOUT).data()).isEqualTo("e1");
    RawSseClient stockClient = stockSubscriber(Map.of("Last-Event-ID", "1"));
    RawSseClient ssekit = fixture.get("/api/b", Map.of("Last-Event-ID", (String) ids.get(0)));
    fixture.awaitSubscribers("b", 1);
    stock.broadcaster().broadcast(event("4", null, "e4"));
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
    // RESTEasy's own two LFs after the head, before any event.
    stock.broadcaster().broadcast(event("1", null, "one"));
    assertThat(stockClient.poll(TIMEOUT).data()).isEqualTo("one");
    assertThat(stockClient.body()).as("stock body").startsWith("\n\nid: 1\n");
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void lineBreaksInEventNamesAndIds(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    stock.broadcaster().broadcast(event("1\rid: 9", "a\ndata: forged", "data"));
    // Written as is: the name's LF and the id's CR end their lines, and what follows is a field.
    assertThat(stockClient.poll(TIMEOUT))
        .as("stock: fields injected through the name and the id")
        .isEqualTo(new ReceivedEvent("a", "forged\ndata", "9"));
    assertThat(stockClient.body()).contains("event: a\ndata: forged\nid: 1\rid: 9\ndata: data\n");

    SsekitColumn.assertRefusesLineBreaks(
        fixture.broadcaster,
        event(null, "a\ndata: forged", "data"),
        event("1\rid: 9", null, "data"));
  }

  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void emptyData(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient stockClient = stockSubscriber(Map.of());
    RawSseClient ssekit = fixture.get("/api/b");
    fixture.awaitSubscribers("b", 1);
    stock.broadcaster().broadcast(event(null, "empty", ""));
    fixture.broadcaster.broadcast(event(null, "empty", "")).toCompletableFuture().get();
    assertThat(stockClient.poll(TIMEOUT))
        .as("stock: an event with empty data")
        .isEqualTo(new ReceivedEvent("empty", "", ""));
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
    assertThat(stockStage.toCompletableFuture()).succeedsWithin(TIMEOUT).isNull();
    assertThat(stockClient.poll(TIMEOUT).data()).isEqualTo("one");

    fixture.get("/api/b");
    fixture.awaitSubscribers("b", 1);
    assertThat(fixture.broadcaster.broadcast(event(null, null, "one")).toCompletableFuture())
        .as("ssekit: the event's id")
        .succeedsWithin(TIMEOUT)
        .isNotNull();
  }

  /**
   * A client that stops reading, beside one that reads: RESTEasy's broadcaster writes to its sinks
   * without blocking the caller, but the reading client stops receiving as well, and the events
   * stay queued (the broadcast stages incomplete) until the stalled client goes. ssekit's side of
   * this row is JaxrsScenariosTest's stalled client beside a healthy one, rerun on RESTEasy.
   */
  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void stalledClient(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    int before = stock.registered.get();
    RawSseClient stalled = fixture.stalled("/stock/sse");
    await().atMost(TIMEOUT).until(() -> stock.registered.get() > before);
    RawSseClient healthy = stockSubscriber(Map.of());
    int events = 200;
    List<CompletableFuture<?>> stages = new ArrayList<>();
    CompletableFuture<Void> broadcasting =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < events; i++) {
                stages.add(
                    stock
                        .broadcaster()
                        .broadcast(event(null, null, PAYLOAD))
                        .toCompletableFuture());
              }
            });
    // No thread waits on the stalled client: the loop ends, nobody stays parked in a write. (A
    // container thread may be caught in a short non-blocking write as it drains the reading
    // client's queue: a single thread dump took that for a blocked one, CI 2026-12-05.)
    broadcasting.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(
            ThreadDumps.threadsWaitingInside(
                JaxrsRuntime.current().blockingWriteFrame(), Duration.ofSeconds(1)))
        .isEmpty();
    // But the reading client is held up with it, and nothing is dropped or failed.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(TIMEOUT)
        .until(
            () ->
                healthy.pendingEvents() < events / 2
                    && !stages.get(events - 1).isDone()
                    && stock.errors.isEmpty());
    int heldUp = healthy.pendingEvents();
    stalled.close();
    // Once it is gone (each event queued for it then fails: broken pipe), the other catches up.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(healthy.pendingEvents()).isEqualTo(events));
    assertThat(stock.errors).isNotEmpty();
    System.out.printf(
        "stock RESTEasy on %s: the reading client had %d of %d events while the other was stalled%n",
        kind, heldUp, events);
    // ssekit on RESTEasy, the same scenario:
    // JaxrsScenariosTest.aStalledClientNeitherDelaysOthersNorHoldsAThreadAndItsQueueIsBounded.
  }

  /**
   * A stream with nothing to send: stock RESTEasy answers a sink closed in the resource method with
   * {@code 204}; RESTEasy's own {@code SseEventSource} takes a {@code 204} (the stock one, or
   * ssekit's for a closed topic) as the end, without reconnecting, and yet stays open.
   */
  @ParameterizedTest
  @EnumSource(TestServer.Kind.class)
  void noContent(TestServer.Kind kind) throws Exception {
    start(kind, builder -> builder);
    RawSseClient closedSink = fixture.get("/stock/closed");
    assertThat(closedSink.awaitEnd(TIMEOUT)).isTrue();
    assertThat(closedSink.status()).as("stock: sink closed at once").isEqualTo(204);
    assertThat(closedSink.header("Content-Type")).isEqualTo("text/event-stream");
    assertThat(closedSink.bodyLength()).isZero();

    fixture.hub.closeTopic("c").toCompletableFuture().get();
    RawSseClient closedTopic = fixture.get("/api/topics/c");
    assertThat(closedTopic.awaitEnd(TIMEOUT)).isTrue();
    assertThat(closedTopic.status()).as("ssekit: closed topic").isEqualTo(204);

    Client client = ClientBuilder.newClient();
    try {
      for (String target : List.of("/stock/gone", "/api/topics/c")) {
        int requestsBefore = stock.goneRequests.get();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        try (SseEventSource source =
            SseEventSource.target(client.target("http://127.0.0.1:" + fixture.port() + target))
                .reconnectingEvery(100, TimeUnit.MILLISECONDS)
                .build()) {
          source.register(
              event -> received.incrementAndGet(),
              error -> failed.incrementAndGet(),
              completed::incrementAndGet);
          source.open();
          await()
              .during(Duration.ofSeconds(1))
              .atMost(TIMEOUT)
              .until(() -> completed.get() == 1 && received.get() == 0 && failed.get() == 0);
          assertThat(source.isOpen()).as("RESTEasy's SseEventSource after a 204").isTrue();
        }
        if (target.startsWith("/stock")) {
          assertThat(stock.goneRequests.get() - requestsBefore).as("no reconnect").isEqualTo(1);
        }
      }
    } finally {
      client.close();
    }
  }
}
