package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.internal.EventStreamEncoder;
import org.ssekit.testkit.RawSseClient;

/**
 * The write path without a servlet container: Jersey 4.0.2 on Grizzly's HTTP server, where streams
 * are written with {@code SseEventSink.send} from the bounded send pool.
 */
class SinkWritePathTest extends FixtureTest {

  @Test
  void eventsAreFramedExactlyAndTheStreamHeadersAreSentFirst() throws Exception {
    fixture = Fixture.startWithoutServlet(builder -> builder);
    RawSseClient registered = fixture.get("/api/b");
    RawSseClient annotated = fixture.get("/api/topics/b");
    for (RawSseClient client : List.of(registered, annotated)) {
      assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
      assertThat(client.status()).isEqualTo(200);
      assertThat(client.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
      assertThat(client.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
    }
    fixture.awaitSubscribers("b", 2);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (String text :
        List.of("two\nlines", "cr\ronly", "crlf\r\n", "", "\u00fcber \uD83C\uDF89")) {
      String id =
          (String)
              fixture
                  .broadcaster
                  .broadcast(new OutboundEvent.Builder().name("n").data(text).build())
                  .toCompletableFuture()
                  .get();
      expected.write(
          EventStreamEncoder.encode(
              ServerSentEvent.builder().id(id).event("n").data(text).build()));
    }
    byte[] bytes = expected.toByteArray();
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                registered.bodyLength() >= bytes.length && annotated.bodyLength() >= bytes.length);
    assertThat(registered.bodyBytes()).isEqualTo(bytes);
    assertThat(annotated.bodyBytes()).isEqualTo(bytes);
  }

  @Test
  void lastEventIdReplaysThenLive() throws Exception {
    fixture = Fixture.startWithoutServlet(builder -> builder);
    String first = fixture.hub.publish("r", ServerSentEvent.of("e1")).toCompletableFuture().get();
    fixture.hub.publish("r", ServerSentEvent.of("e2")).toCompletableFuture().get();
    RawSseClient header = fixture.get("/api/topics/r", Map.of("Last-Event-ID", first));
    RawSseClient query = fixture.get("/api/topics/r?lastEventId=" + first);
    fixture.awaitSubscribers("r", 2);
    fixture.hub.publish("r", ServerSentEvent.of("e3")).toCompletableFuture().get();
    for (RawSseClient client : List.of(header, query)) {
      assertThat(client.poll(TIMEOUT).data()).isEqualTo("e2");
      assertThat(client.poll(TIMEOUT).data()).isEqualTo("e3");
      assertThat(client.poll(Duration.ofMillis(200))).isNull();
    }
  }

  @Test
  void closedTopicsAnswer204AndAFullHub503WhenSoConfigured() throws Exception {
    fixture =
        Fixture.startWithoutServlet(
            builder -> builder.maxSubscribers(1), RefusalAnswer.SERVICE_UNAVAILABLE);
    fixture.hub.closeTopic("gone").toCompletableFuture().get();
    RawSseClient closed = fixture.get("/api/topics/gone");
    assertThat(closed.awaitEnd(TIMEOUT)).isTrue();
    assertThat(closed.status()).isEqualTo(204);
    RawSseClient admitted = fixture.get("/api/topics/open");
    fixture.awaitSubscribers("open", 1);
    RawSseClient refused = fixture.get("/api/topics/open");
    assertThat(refused.awaitEnd(TIMEOUT)).isTrue();
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(admitted.status()).isEqualTo(200);
  }

  @Test
  void idleStreamsGetKeepAliveComments() throws Exception {
    fixture = Fixture.startWithoutServlet(builder -> builder.keepAlive(Duration.ofMillis(100)));
    RawSseClient client = fixture.get("/api/b");
    assertThat(client.pollComment(TIMEOUT)).isEqualTo("keep-alive");
    assertThat(client.pollComment(TIMEOUT)).isEqualTo("keep-alive");
  }

  @Test
  void aStalledClientHoldsOneSendThreadUntilTheStallTimeoutAndDelaysNobody() throws Exception {
    fixture =
        Fixture.startWithoutServlet(
            builder -> builder.stallTimeout(Duration.ofSeconds(3)).maxQueuedBytes(8L << 20));
    AtomicInteger closes = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    fixture.broadcaster.onClose(sink -> closes.incrementAndGet());
    fixture.broadcaster.onError((sink, error) -> errors.incrementAndGet());
    RawSseClient stalled = fixture.stalled("/api/b");
    RawSseClient healthy = fixture.get("/api/topics/b");
    fixture.awaitSubscribers("b", 2);
    String payload = "x".repeat(16 * 1024);
    for (int i = 0; i < 400; i++) {
      fixture
          .broadcaster
          .broadcast(new OutboundEvent.Builder().data(payload + i).build())
          .toCompletableFuture()
          .get();
      ReceivedEvent event = healthy.poll(TIMEOUT);
      assertThat(event).as("event %d", i).isNotNull();
      assertThat(event.data()).isEqualTo(payload + i);
    }
    // The stalled sink's send blocks one pool thread, until the stall timeout ends its stream.
    assertThat(closes).hasValue(0);
    // The healthy sink's thread may still be on its way out of send after its client read the
    // event; the stalled one stays inside until the stall timeout (seconds away).
    await()
        .atMost(Duration.ofSeconds(1))
        .until(
            () ->
                ThreadDumps.threadsInside("org.ssekit.jaxrs.internal.SinkTransport.send").size()
                    == 1);
    assertThat(closes).hasValue(0);
    await().atMost(TIMEOUT).until(() -> closes.get() == 1);
    assertThat(errors).hasValue(0);
    assertThat(fixture.hub.stats().stallDisconnects()).isEqualTo(1);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                ThreadDumps.threadsInside("org.ssekit.jaxrs.internal.SinkTransport.send")
                    .isEmpty());
    assertThat(stalled.status()).isIn(-1, 200);
    fixture.hub.publish("b", ServerSentEvent.of("still live")).toCompletableFuture().get();
    assertThat(healthy.poll(TIMEOUT).data()).isEqualTo("still live");
  }
}
