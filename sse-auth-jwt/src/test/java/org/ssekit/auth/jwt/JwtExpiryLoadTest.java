package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ssekit.auth.jwt.JwtServer.WAIT;
import static org.ssekit.auth.jwt.JwtServer.headers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.CloseReason;
import org.ssekit.auth.jwt.JwtServer.Way;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.ServerLogs;
import org.ssekit.testkit.TestContainer;

/**
 * Expiry under load (issue 14): {@value #DEFAULT_STREAMS} streams by default, or {@code
 * -Djwt.load.streams=1000}, half on the servlet way and half on the JAX-RS way of one server, whose
 * tokens all expire at the same second while a topic they share is published to. Every stream ends
 * with a {@code retry:}; each client reconnects after its retry with a fresh token and {@code
 * Last-Event-ID}; every client gets every event of its selection exactly once over both
 * connections, and the servers log no error and answer no 5xx.
 */
class JwtExpiryLoadTest {
  private static final int DEFAULT_STREAMS = 200;
  private static final int STREAMS = Integer.getInteger("jwt.load.streams", DEFAULT_STREAMS);
  private static final int WARM_UPS = Way.values().length;

  /** How often the shared topic is published to: a steady flow across expiry and reconnects. */
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(50);

  private JwtServer server;
  private ServerLogs logs;
  private ScheduledExecutorService scheduler;
  private ScheduledExecutorService publisher;

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return JwtServer.containers();
  }

  @AfterEach
  void stop() throws Exception {
    for (ScheduledExecutorService executor :
        new ScheduledExecutorService[] {scheduler, publisher}) {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (logs != null) {
        logs.close();
      }
    }
  }

  private static String user(int i) {
    return "u" + i;
  }

  private static Way way(int i) {
    return i % 2 == 0 ? Way.SERVLET : Way.JAXRS;
  }

  /** The token by header for half of each way's clients, by cookie for the other half. */
  private static Map<String, String> carrying(int i, String token, String lastEventId) {
    Map<String, String> headers =
        i % 4 < 2
            ? headers("Authorization", "Bearer " + token)
            : headers("Cookie", JwtAuthorizer.DEFAULT_COOKIE_NAME + "=" + token);
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    return headers;
  }

  private static String target(int i) {
    return way(i).target("", "users/" + user(i) + "/inbox", "rooms/all");
  }

  @ParameterizedTest
  @MethodSource("containers")
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void streamsWhoseTokensExpireTogetherEndWithARetryAndResumeWithFreshTokensLosingNothing(
      Supplier<TestContainer> factory) throws Exception {
    long started = System.nanoTime();
    logs = ServerLogs.record();
    server = JwtServer.start(factory, LiveTokens.authorizer());
    scheduler = Executors.newScheduledThreadPool(4);

    warmUp();
    // Time to open every stream before the common exp: up to 10 ms a stream on a busy machine.
    Instant exp = LiveTokens.wholeSecondsAhead(3 + STREAMS / 100);
    List<RawSseClient> first = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      String token = LiveTokens.until(exp, user(i), "users/" + user(i) + "/**", "rooms/*");
      first.add(server.connect(target(i), carrying(i, token, null)));
    }
    for (int i = 0; i < STREAMS; i++) {
      assertOpen(first.get(i), "stream " + i);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == WARM_UPS + STREAMS);
    assertThat(Instant.now()).as("every stream open before the tokens expire").isBefore(exp);
    System.out.printf(
        "%d streams open %d ms after the start, %d ms before exp%n",
        STREAMS,
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        Duration.between(Instant.now(), exp).toMillis());

    List<String> shared = new CopyOnWriteArrayList<>();
    AtomicReference<Exception> publishFailure = new AtomicReference<>();
    publisher = Executors.newSingleThreadScheduledExecutor();
    publisher.scheduleAtFixedRate(
        () -> {
          String data = "all-" + shared.size();
          try {
            server.publish("rooms/all", data);
            shared.add(data);
          } catch (Exception e) {
            publishFailure.compareAndSet(null, e);
            throw new IllegalStateException(e); // ends the schedule
          }
        },
        0,
        PUBLISH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    for (int i = 0; i < STREAMS; i++) {
      server.publish("users/" + user(i) + "/inbox", user(i) + "-before");
    }

    // Every stream ends at exp with a retry:, and its client reconnects after that retry.
    List<List<ReceivedEvent>> received = new ArrayList<>();
    AtomicReferenceArray<RawSseClient> second = new AtomicReferenceArray<>(STREAMS);
    for (int i = 0; i < STREAMS; i++) {
      RawSseClient client = first.get(i);
      Duration toExp = Duration.between(Instant.now(), exp);
      assertThat(client.awaitEnd(toExp.isNegative() ? WAIT : toExp.plus(WAIT)))
          .as("stream %d ended", i)
          .isTrue();
      if (i == 0) {
        assertThat(Instant.now()).isAfterOrEqualTo(exp);
        // All of them at their exp, not one by one as clients come by.
        await()
            .atMost(Duration.ofSeconds(3))
            .until(() -> server.hub.stats().streamsClosed(CloseReason.EXPIRED) == STREAMS);
      }
      Long retryMillis = client.pollRetry(Duration.ZERO);
      assertThat(retryMillis).as("retry of stream %d", i).isNotNull().isBetween(1000L, 2000L);
      List<ReceivedEvent> events = new ArrayList<>();
      for (ReceivedEvent event; (event = client.poll(Duration.ZERO)) != null; ) {
        events.add(event);
      }
      received.add(new CopyOnWriteArrayList<>(events));
      assertThat(events).as("events of stream %d", i).isNotEmpty();
      String lastEventId = events.get(events.size() - 1).lastEventId();
      int index = i;
      scheduler.schedule(
          () -> {
            String fresh = LiveTokens.valid(user(index), "users/" + user(index) + "/**", "rooms/*");
            second.set(index, server.connect(target(index), carrying(index, fresh, lastEventId)));
            return null;
          },
          retryMillis,
          TimeUnit.MILLISECONDS);
    }
    await()
        .atMost(WAIT)
        .until(() -> server.hub.stats().streamsClosed(CloseReason.EXPIRED) == STREAMS);
    // Published while the clients are away or reconnecting: by replay or live, exactly once.
    for (int i = 0; i < STREAMS; i++) {
      server.publish("users/" + user(i) + "/inbox", user(i) + "-after");
    }

    await().atMost(WAIT.multipliedBy(2)).until(() -> allSet(second));
    for (int i = 0; i < STREAMS; i++) {
      assertOpen(second.get(i), "reconnect " + i);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == WARM_UPS + STREAMS);
    publisher.shutdown(); // a running publish completes; no further one starts
    assertThat(publisher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(publishFailure.get()).isNull();
    server.publish("rooms/all", "all-end");
    shared.add("all-end");

    for (int i = 0; i < STREAMS; i++) {
      RawSseClient client = second.get(i);
      List<ReceivedEvent> events = received.get(i);
      for (ReceivedEvent event = client.poll(WAIT); ; event = client.poll(WAIT)) {
        assertThat(event).as("stream %d waits for all-end", i).isNotNull();
        events.add(event);
        if (event.data().equals("all-end")) {
          break;
        }
      }
      List<String> data = events.stream().map(ReceivedEvent::data).collect(Collectors.toList());
      assertThat(data.stream().filter(d -> d.startsWith("all-")))
          .as("shared topic of stream %d", i)
          .containsExactlyElementsOf(shared);
      String own = user(i) + "-";
      assertThat(data.stream().filter(d -> d.startsWith(own)))
          .as("own topic of stream %d", i)
          .containsExactly(user(i) + "-before", user(i) + "-after");
      assertThat(data).hasSize(shared.size() + 2);
      Set<String> ids = new HashSet<>();
      events.forEach(event -> assertThat(ids.add(event.lastEventId())).isTrue());
    }
    assertThat(shared.size()).as("events published on the shared topic").isGreaterThan(10);
    assertThat(logs.errors()).as("server-side errors").isEmpty();
    System.out.printf(
        "%d streams expired and resumed, %d shared events, in %d ms%n",
        STREAMS, shared.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * Opens a stream on each way, left open (a closed socket is noticed at the next write only): the
   * first requests load Jersey and the servlet, before the clock of the tokens runs.
   */
  private void warmUp() throws Exception {
    for (Way way : Way.values()) {
      String token = LiveTokens.valid("warm-up", "rooms/*");
      RawSseClient client =
          server.get(way.target("", "rooms/warm-up"), headers("Authorization", "Bearer " + token));
      assertOpen(client, "warm-up on " + way);
    }
    await().atMost(WAIT).until(() -> server.hub.stats().subscribers() == WARM_UPS);
  }

  /** Asserts that {@code client} opened a stream; the refusal's reason is in the message if not. */
  private static void assertOpen(RawSseClient client, String what) throws InterruptedException {
    assertThat(client.awaitHeaders(WAIT)).as(what).isTrue();
    if (client.status() != 200) {
      client.awaitEnd(WAIT);
    }
    assertThat(client.status()).as("%s: %s", what, client.body()).isEqualTo(200);
  }

  private static boolean allSet(AtomicReferenceArray<RawSseClient> clients) {
    for (int i = 0; i < clients.length(); i++) {
      if (clients.get(i) == null) {
        return false;
      }
    }
    return true;
  }
}
