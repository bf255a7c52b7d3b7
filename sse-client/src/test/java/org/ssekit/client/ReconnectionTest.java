package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reconnection rule, against a server that misbehaves on purpose. */
class ReconnectionTest {
  private static final ReconnectPolicy FAST =
      ReconnectPolicy.builder()
          .reconnectionTime(Duration.ofMillis(50))
          .backoffBase(Duration.ofMillis(20))
          .maxBackoff(Duration.ofMillis(100))
          .build();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Recorder recorder = new Recorder();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private ScriptedServer server(ScriptedServer.Script... scripts) throws Exception {
    ScriptedServer server = new ScriptedServer(scripts);
    resources.add(server);
    return server;
  }

  private EventSource connect(EventSource.Builder builder) {
    EventSource source = builder.connect(recorder);
    resources.add(source);
    return source;
  }

  private EventSource.Builder builder(ScriptedServer server) {
    return EventSource.builder(server.uri()).reconnectPolicy(FAST);
  }

  @Test
  void firstRequestAcceptsEventStreamWithoutCachingAndWithoutLastEventId() throws Exception {
    ScriptedServer server = server(x -> x.stream().hold());
    connect(builder(server).header("Authorization", "Bearer secret"));

    ScriptedServer.Request request = server.nextRequest();
    assertThat(request.line()).startsWith("GET /events ");
    assertThat(request.headers())
        .containsEntry("accept", "text/event-stream")
        .containsEntry("cache-control", "no-cache")
        .containsEntry("authorization", "Bearer secret")
        .doesNotContainKey("last-event-id");
    assertThat(recorder.next()).isEqualTo("open");
  }

  @Test
  void droppedConnectionMidEventReconnectsWithLastEventIdAndDiscardsThePartialEvent()
      throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("id: 1\ndata: one\n\nid: 2\ndata: tw");
              x.close();
            },
            x -> x.stream().write("id: 3\ndata: three\n\n").hold());
    EventSource source = connect(builder(server));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message 1 one");
    assertThat(recorder.next()).isEqualTo("error event stream ended by the server");
    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message 3 three");
    server.nextRequest();
    assertThat(server.nextRequest().headers()).containsEntry("last-event-id", "1");
    assertThat(source.lastEventId()).isEqualTo("3");
    recorder.assertExhausted();
  }

  @Test
  void lastEventIdPersistsAcrossConnectionsThatSendNoId() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("id: 7\ndata: a\n\n");
              x.close();
            },
            x -> {
              x.stream().write("data: b\n\n");
              x.close();
            },
            x -> x.stream().hold());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message 7 a");
    recorder.next();
    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message 7 b");
    server.nextRequest();
    assertThat(server.nextRequest().headers()).containsEntry("last-event-id", "7");
    assertThat(server.nextRequest().headers()).containsEntry("last-event-id", "7");
  }

  @Test
  void byteOrderMarkAtTheStartOfEveryResponseIsSkipped() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    ScriptedServer server =
        server(
            x -> {
              x.stream().write(bom).write(":c\nid: 7\ndata: a\n\n");
              x.close();
            },
            x -> {
              // After a reconnection the last event id persists, and the BOM is still skipped.
              x.stream().write(bom).write(":c\ndata: b\n\n");
              x.close();
            },
            x -> x.stream().hold());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("comment c");
    assertThat(recorder.next()).isEqualTo("event message 7 a");
    recorder.next();
    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("comment c");
    assertThat(recorder.next()).isEqualTo("event message 7 b");
  }

  @Test
  void retryIsHonouredExactlyNeverEarlier() throws Exception {
    List<ScriptedServer.Exchange> closed = new ArrayList<>();
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("retry: 400\ndata: a\n\n");
              closed.add(x);
              x.close();
            },
            x -> x.stream().hold());
    connect(builder(server));

    server.nextRequest();
    ScriptedServer.Request second = server.nextRequest();
    long waitedNanos = second.arrivedNanos() - closed.get(0).closedNanos();
    assertThat(waitedNanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(400));
  }

  @Test
  void retryChangesApplyToTheNextReconnection() throws Exception {
    List<ScriptedServer.Exchange> closed = new ArrayList<>();
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("retry: 10\n\n");
              x.close();
            },
            x -> {
              x.stream().write("retry: 600\n\n");
              closed.add(x);
              x.close();
            },
            x -> x.stream().hold());
    connect(builder(server).reconnectPolicy(FAST.toBuilder().stableAfter(Duration.ZERO).build()));

    server.nextRequest();
    server.nextRequest();
    ScriptedServer.Request third = server.nextRequest();
    assertThat(third.arrivedNanos() - closed.get(0).closedNanos())
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
  }

  @Test
  void status204StopsForGoodWithoutError() throws Exception {
    ScriptedServer server = server(x -> x.status(204).close());
    EventSource source = connect(builder(server));

    assertThat(recorder.next()).isEqualTo("closed");
    assertThat(source.readyState()).isEqualTo(EventSource.ReadyState.CLOSED);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.connections() == 1);
    recorder.assertExhausted();
  }

  @ParameterizedTest
  @ValueSource(ints = {503, 429})
  void unavailableWithRetryAfterWaitsThatLongThenReconnects(int status) throws Exception {
    List<ScriptedServer.Exchange> closed = new ArrayList<>();
    ScriptedServer server =
        server(
            x -> {
              x.status(status, "Retry-After: 1", "Content-Length: 0");
              closed.add(x);
              x.close();
            },
            x -> x.stream().write("data: back\n\n").hold());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("error status " + status + " with Retry-After: 1");
    assertThat(((EventSourceException) recorder.errors.get(0)).statusCode()).isEqualTo(status);
    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message  back");
    server.nextRequest();
    assertThat(server.nextRequest().arrivedNanos() - closed.get(0).closedNanos())
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void unavailableWithoutRetryAfterFails() throws Exception {
    ScriptedServer server = server(x -> x.status(503, "Content-Length: 0").close());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("error status 503 without a valid Retry-After");
    assertThat(recorder.next()).isEqualTo("closed");
  }

  @Test
  void statusOtherThan200FailsWithoutReconnecting() throws Exception {
    ScriptedServer server = server(x -> x.status(404, "Content-Length: 0").close());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("error status not 200: 404");
    assertThat(recorder.next()).isEqualTo("closed");
    assertThat(((EventSourceException) recorder.errors.get(0)).statusCode()).isEqualTo(404);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.connections() == 1);
  }

  @Test
  void wrongContentTypeFailsAndTheBodyIsNotRead() throws Exception {
    List<Boolean> clientClosed = new ArrayList<>();
    ScriptedServer server =
        server(
            x -> {
              x.status(200, "Content-Type: text/plain").write("data: not an event\n\n");
              clientClosed.add(x.awaitClientClose(Duration.ofSeconds(10)));
            });
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("error content type not text/event-stream: text/plain");
    assertThat(recorder.next()).isEqualTo("closed");
    await().atMost(Duration.ofSeconds(10)).until(() -> clientClosed.size() == 1);
    assertThat(clientClosed).containsExactly(true);
  }

  @Test
  void contentTypeParametersAndCaseAreAccepted() throws Exception {
    ScriptedServer server =
        server(x -> x.status(200, "Content-Type: Text/Event-Stream; charset=utf-8").hold());
    connect(builder(server));

    assertThat(recorder.next()).isEqualTo("open");
  }

  @Test
  void silentDeadConnectionIsNoticedByTheReadTimeoutAndReconnected() throws Exception {
    ScriptedServer server =
        server(
            x -> x.stream().write("data: a\n\n").hold(),
            x -> x.stream().write("data: b\n\n").hold());
    connect(builder(server).readTimeout(Duration.ofMillis(300)));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message  a");
    assertThat(recorder.next()).isEqualTo("error read timeout: PT0.3S");
    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("event message  b");
  }

  @Test
  void headersThenNothingIsNoticedByTheInitialReadTimeout() throws Exception {
    ScriptedServer server = server(x -> x.stream().hold());
    connect(builder(server).initialReadTimeout(Duration.ofMillis(300)));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("error read timeout: PT0.3S");
  }

  @Test
  void adaptiveReadTimeoutLearnsTheKeepAliveIntervalAndIsNeverShorter() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream();
              for (int i = 0; i < 4; i++) {
                x.write(":ka\n");
                // The keep-alive rhythm: each comment after the client saw the one before.
                x.awaitClientClose(Duration.ofMillis(300));
              }
              x.hold();
            },
            x -> x.stream().hold());
    connect(builder(server).initialReadTimeout(Duration.ofSeconds(30)));

    assertThat(recorder.next()).isEqualTo("open");
    for (int i = 0; i < 4; i++) {
      assertThat(recorder.next()).isEqualTo("comment ka");
    }
    // Twice the longest interval (about 300 ms), at least 1 s: far below the initial 30 s.
    assertThat(recorder.next()).isEqualTo("error read timeout: PT1S");
  }

  @Test
  void responseHeadersThatNeverComeTimeOut() throws Exception {
    ScriptedServer server = server(ScriptedServer.Exchange::hold);
    connect(builder(server).responseTimeout(Duration.ofMillis(300)));

    assertThat(recorder.next()).isEqualTo("error response timeout: PT0.3S");
    server.nextRequest();
    server.nextRequest();
  }

  @Test
  void networkErrorsReconnectAndMaxAttemptsFailsTheSource() throws Exception {
    int port;
    try (ServerSocket closedPort = new ServerSocket(0)) {
      port = closedPort.getLocalPort();
    }
    EventSource source =
        connect(
            EventSource.builder(URI.create("http://127.0.0.1:" + port + "/events"))
                .reconnectPolicy(FAST.toBuilder().maxAttempts(3).build()));

    assertThat(recorder.next()).startsWith("error ");
    assertThat(recorder.next()).startsWith("error ");
    assertThat(recorder.next()).isEqualTo("error connection attempts failed in a row: 3");
    assertThat(recorder.next()).isEqualTo("closed");
    assertThat(recorder.statesAtError.get(2)).isEqualTo(EventSource.ReadyState.CLOSED);
    assertThat(source.readyState()).isEqualTo(EventSource.ReadyState.CLOSED);
    recorder.assertExhausted();
  }

  @Test
  void garbageBytesAreIgnoredAndTheStreamGoesOn() throws Exception {
    byte[] garbage = new byte[4096];
    new java.util.Random(42).nextBytes(garbage);
    ScriptedServer server = server(x -> x.stream().write(garbage).write("\n\ndata: ok\n\n").hold());
    EventSource source = connect(builder(server));

    assertThat(recorder.next()).isEqualTo("open");
    String call;
    do {
      call = recorder.next();
    } while (!call.endsWith(" ok") && call.startsWith("event") || call.startsWith("comment"));
    assertThat(call).isEqualTo("event message  ok");
    assertThat(source.readyState()).isEqualTo(EventSource.ReadyState.OPEN);
  }

  @Test
  void overLimitLineFailsTheSourceWithAClearError() throws Exception {
    List<Boolean> clientClosed = new ArrayList<>();
    byte[] tenMegabytes = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(tenMegabytes, (byte) 'x');
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("data: ");
              try {
                x.write(tenMegabytes);
              } catch (java.io.IOException e) {
                clientClosed.add(true); // the client cut the line short
                return;
              }
              clientClosed.add(x.awaitClientClose(Duration.ofSeconds(10)));
            });
    connect(builder(server).maxLineChars(64 * 1024));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("error event stream line length > maxLineChars: 65536");
    assertThat(recorder.next()).isEqualTo("closed");
    await().atMost(Duration.ofSeconds(10)).until(() -> clientClosed.size() == 1);
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aStableConnectionResetsTheFailureCount() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("data: x\n\n");
              x.close();
            });
    ReconnectPolicy twoFailures = FAST.toBuilder().maxAttempts(2).build();
    connect(
        builder(server)
            .reconnectPolicy(twoFailures.toBuilder().stableAfter(Duration.ZERO).build()));

    // Each stream counts as stable: the source keeps reconnecting beyond two losses.
    await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() >= 4);
    assertThat(recorder.errors).noneMatch(e -> e.getMessage().contains("in a row"));
  }

  @Test
  void unstableConnectionsCountAsFailuresInARow() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("data: x\n\n");
              x.close();
            });
    connect(
        builder(server)
            .reconnectPolicy(
                FAST.toBuilder().maxAttempts(2).stableAfter(Duration.ofMinutes(1)).build()));

    String call;
    do {
      call = recorder.next();
    } while (!call.equals("closed"));
    assertThat(recorder.errors.get(recorder.errors.size() - 1))
        .hasMessage("connection attempts failed in a row: 2");
    assertThat(server.connections()).isEqualTo(2);
  }
}
