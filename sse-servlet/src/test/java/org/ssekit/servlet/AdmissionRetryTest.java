package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * A hub limited to {@value #LIMIT} streams and {@value #LIMIT} + {@value #EXTRA} clients that
 * reconnect as an {@code EventSource} does (after each {@code retry:}): the refused ones come back
 * spread over the retry window, not in one burst, and all get in as the others leave.
 */
class AdmissionRetryTest {
  private static final int LIMIT = 10;
  private static final int EXTRA = 50;
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
  private static final Duration HOLD = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private final CompletableFuture<Void> leaving = new CompletableFuture<>();
  private final List<BrowserLikeClient> clients = new ArrayList<>();
  private SseHub hub;
  private TestContainer container;

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jetty-ee11", JettyEe11Container::new),
        Named.of("tomcat-11", TomcatContainer::new));
  }

  @AfterEach
  void stopEverything() throws Exception {
    clients.forEach(BrowserLikeClient::close);
    scheduler.shutdownNow();
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void refusedClientsComeBackSpreadOverTheRetryWindowAndAllGetIn(Supplier<TestContainer> factory)
      throws Exception {
    hub = SseHub.builder().maxSubscribers(LIMIT).retryAfter(RETRY_AFTER).build();
    container = factory.get();
    container.servlet("/events", new WelcomingServlet(hub));
    URI uri = URI.create("http://127.0.0.1:" + container.start() + "/events");

    for (int i = 0; i < LIMIT + EXTRA; i++) {
      BrowserLikeClient client = new BrowserLikeClient(uri);
      clients.add(client);
      client.connect();
    }
    await()
        .atMost(WAIT)
        .until(() -> clients.stream().allMatch(c -> c.admittedNow() || !c.retries.isEmpty()));
    assertThat(clients.stream().filter(c -> c.admitted.isDone())).hasSize(LIMIT);
    List<BrowserLikeClient> refused = clients.stream().filter(c -> !c.admitted.isDone()).toList();
    assertThat(refused).hasSize(EXTRA);

    leaving.complete(null); // from now on, each admitted stream leaves after HOLD
    await().atMost(WAIT).until(() -> clients.stream().allMatch(BrowserLikeClient::admittedNow));
    for (BrowserLikeClient client : clients) {
      assertThat(client.admitted).isCompleted();
    }

    List<Long> retries = new ArrayList<>();
    List<Long> comebacks = new ArrayList<>();
    for (BrowserLikeClient client : refused) {
      retries.addAll(client.retries);
      comebacks.add(client.attemptNanos.get(1));
    }
    assertThat(retries).allSatisfy(r -> assertThat(r).isBetween(1_000L, 3_000L));
    assertThat(retries.stream().distinct().count()).as("distinct retries").isGreaterThan(40);
    long spreadMillis =
        TimeUnit.NANOSECONDS.toMillis(
            comebacks.stream().mapToLong(Long::longValue).max().getAsLong()
                - comebacks.stream().mapToLong(Long::longValue).min().getAsLong());
    assertThat(spreadMillis).as("first comebacks spread over (ms)").isGreaterThan(1_000);
    await().atMost(WAIT).until(() -> hub.subscriberCount("room") == 0);
  }

  /** Admits every client to one room, welcomes it, and ends its stream HOLD after leaving began. */
  private final class WelcomingServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    WelcomingServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      return Admission.accept(
          "room",
          new SseListener() {
            @Override
            public void onOpen(Subscription subscription) {
              subscription.offer(ServerSentEvent.of("welcome"));
              leaving.thenRun(
                  () ->
                      scheduler.schedule(
                          subscription::close, HOLD.toMillis(), TimeUnit.MILLISECONDS));
            }
          });
    }
  }

  /** Reconnects after each stream that ends with a {@code retry:} and no event, as a browser. */
  private final class BrowserLikeClient {
    final URI uri;
    final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
    final List<Long> retries = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> admitted = new CompletableFuture<>();
    volatile HttpSseClient current;

    BrowserLikeClient(URI uri) {
      this.uri = uri;
    }

    void connect() {
      attemptNanos.add(System.nanoTime());
      HttpSseClient client = HttpSseClient.get(http, uri);
      current = client;
      client.ended().whenComplete((ignored, failure) -> ended(client, failure));
    }

    /** Returns true once this client's stream was welcomed; fails if it went wrong. */
    synchronized boolean admittedNow() {
      HttpSseClient client = current;
      if (!admitted.isDone() && welcomed(client)) {
        admitted.complete(null);
      }
      if (admitted.isCompletedExceptionally()) {
        admitted.join(); // throws what failed it
      }
      return admitted.isDone();
    }

    private boolean welcomed(HttpSseClient client) {
      return client != null && client.drain().stream().anyMatch(e -> e.data().equals("welcome"));
    }

    private synchronized void ended(HttpSseClient client, Throwable failure) {
      if (admitted.isDone()) {
        return;
      }
      if (failure != null) {
        admitted.completeExceptionally(failure);
        return;
      }
      if (welcomed(client)) {
        admitted.complete(null);
        return;
      }
      Long retry = pollRetry(client);
      if (retry == null) {
        admitted.completeExceptionally(new AssertionError("refused without a retry:"));
        return;
      }
      retries.add(retry);
      scheduler.schedule(this::connect, retry, TimeUnit.MILLISECONDS);
    }

    private Long pollRetry(HttpSseClient client) {
      try {
        return client.pollRetry(Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    void close() {
      HttpSseClient client = current;
      if (client != null) {
        client.close();
      }
    }
  }
}
