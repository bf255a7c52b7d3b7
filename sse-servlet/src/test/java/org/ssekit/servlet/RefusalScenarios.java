package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.OutageLog;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;

/**
 * How the servlet adapter answers a stream request refused for a passing reason (issue 20): by
 * default {@code 200}, the stream's headers, one jittered {@code retry:} and the end, so that every
 * {@code EventSource} comes back with its {@code Last-Event-ID}; {@code 503} with {@code
 * Retry-After} when so configured; {@code 204} for a closed topic either way. Each answer is also
 * asked for with {@code Connection: close} ({@link ClosingGet}): the server closing the connection
 * proves that the answer ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RefusalScenarios {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration RETRY_AFTER = Duration.ofSeconds(4);
  private static final Pattern RETRY_BODY = Pattern.compile("retry: (\\d+)\n\n");

  /** A passing reason to refuse a stream request, and how to bring it about. */
  enum Refusal {
    HUB_LIMIT,
    TOPIC_LIMIT,
    HUB_CLOSED,
    LOG_FAILURE,
    LOG_FAILURE_LATE
  }

  private final List<AutoCloseable> resources = new ArrayList<>();
  private SseHub hub;
  private OutageLog log;
  private TestContainer container;

  /** Returns the containers to run every scenario on. */
  protected abstract Stream<Named<Supplier<TestContainer>>> containers();

  Stream<Arguments> refusals() {
    return containers().flatMap(c -> Stream.of(Refusal.values()).map(r -> Arguments.of(c, r)));
  }

  Stream<Arguments> resumableRefusals() {
    return containers()
        .flatMap(
            c -> Stream.of(Refusal.TOPIC_LIMIT, Refusal.LOG_FAILURE).map(r -> Arguments.of(c, r)));
  }

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

  private int start(Supplier<TestContainer> factory, SseHub.Builder hubConfig, RefusalAnswer answer)
      throws Exception {
    log = new OutageLog();
    hub = hubConfig.retryAfter(RETRY_AFTER).eventLog(log).build();
    container = factory.get();
    container.servlet("/events", new TopicServlet(hub, answer));
    return container.start();
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Brings {@code refusal} about for topic {@code t}: the next stream request of it is refused. */
  private int startRefusing(Supplier<TestContainer> factory, Refusal refusal, RefusalAnswer answer)
      throws Exception {
    SseHub.Builder config = SseHub.builder();
    if (refusal == Refusal.HUB_LIMIT) {
      config.maxSubscribers(1);
    } else if (refusal == Refusal.TOPIC_LIMIT) {
      config.maxSubscribersPerTopic(1);
    }
    int port = start(factory, config, answer);
    switch (refusal) {
      case HUB_LIMIT:
      case TOPIC_LIMIT:
        RawSseClient holder = track(RawSseClient.get(port, "/events?topic=t"));
        assertThat(holder.awaitHeaders(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> hub.subscriberCount("t") == 1);
        break;
      case HUB_CLOSED:
        hub.close();
        break;
      case LOG_FAILURE_LATE:
        log.late(true);
        log.down(true);
        break;
      case LOG_FAILURE:
        log.down(true);
        break;
    }
    return port;
  }

  /** Asserts the default answer and returns its {@code retry:} in milliseconds. */
  static long assertRetryStream(RawSseClient client) throws InterruptedException {
    assertThat(client.awaitEnd(WAIT)).as("the refusal ends").isTrue();
    assertThat(client.status()).isEqualTo(200);
    Map<String, String> headers = client.headers();
    assertThat(headers.get("content-type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(headers.get("cache-control")).isEqualTo("no-cache");
    assertThat(headers.get("x-accel-buffering")).isEqualTo("no");
    assertThat(headers).doesNotContainKey("retry-after");
    Matcher body = RETRY_BODY.matcher(client.body());
    assertThat(body.matches()).as("body is one retry field: %s", client.body()).isTrue();
    long retryMillis = Long.parseLong(body.group(1));
    assertThat(retryMillis).isBetween(RETRY_AFTER.toMillis() / 2, RETRY_AFTER.toMillis() * 3 / 2);
    assertThat(client.pendingEvents()).isZero();
    return retryMillis;
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void passingRefusalAnswers200WithOneJitteredRetryAndEnds(
      Supplier<TestContainer> factory, Refusal refusal) throws Exception {
    int port = startRefusing(factory, refusal, null);

    RawSseClient refused = track(RawSseClient.get(port, "/events?topic=t"));

    assertRetryStream(refused);
    ClosingGet closed = ClosingGet.get(port, "/events?topic=t", WAIT);
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(RETRY_BODY.matcher(closed.body()).matches())
        .as("body is one retry field: %s", closed.body())
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void passingRefusalAnswers503WithRetryAfterWhenSoConfigured(
      Supplier<TestContainer> factory, Refusal refusal) throws Exception {
    int port = startRefusing(factory, refusal, RefusalAnswer.SERVICE_UNAVAILABLE);

    RawSseClient refused = track(RawSseClient.get(port, "/events?topic=t"));

    assertThat(refused.awaitEnd(WAIT)).isTrue();
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("4");
    assertThat(refused.bodyLength()).isZero();
    ClosingGet closed = ClosingGet.get(port, "/events?topic=t", WAIT);
    assertThat(closed.status()).isEqualTo(503);
    assertThat(closed.header("Retry-After")).isEqualTo("4");
    assertThat(closed.body()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void closedTopicAnswers204WhateverTheRefusalAnswer(Supplier<TestContainer> factory)
      throws Exception {
    int port = start(factory, SseHub.builder(), RefusalAnswer.RETRY_STREAM);
    hub.closeTopic("t").toCompletableFuture().get();

    RawSseClient refused = track(RawSseClient.get(port, "/events?topic=t"));

    assertThat(refused.awaitEnd(WAIT)).isTrue();
    assertThat(refused.status()).isEqualTo(204);
    assertThat(refused.bodyLength()).isZero();
    ClosingGet closed = ClosingGet.get(port, "/events?topic=t", WAIT);
    assertThat(closed.status()).isEqualTo(204);
    assertThat(closed.body()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("resumableRefusals")
  void refusedClientComingBackWithItsLastEventIdGetsExactlyTheMissedEvents(
      Supplier<TestContainer> factory, Refusal refusal) throws Exception {
    int port = startRefusing(factory, refusal, null);
    if (refusal == Refusal.LOG_FAILURE) {
      log.down(false);
    }
    String seen = publish("seen");
    String missed1 = publish("missed 1");
    if (refusal == Refusal.LOG_FAILURE) {
      log.down(true);
    }
    Map<String, String> lastEventId = Map.of("Last-Event-ID", seen);

    RawSseClient refused = track(RawSseClient.get(port, "/events?topic=t", lastEventId));
    assertRetryStream(refused);

    // The passing reason passes: the log is back, or the holder of the only place leaves.
    log.down(false);
    hub.disconnectAll("t");
    await().atMost(WAIT).until(() -> hub.subscriberCount("t") == 0);
    String missed2 = publish("missed 2");
    RawSseClient back = track(RawSseClient.get(port, "/events?topic=t", lastEventId));
    assertThat(back.awaitHeaders(WAIT)).isTrue();
    assertThat(back.status()).isEqualTo(200);

    ReceivedEvent first = back.poll(WAIT);
    ReceivedEvent second = back.poll(WAIT);
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(List.of(first.lastEventId(), first.data(), second.lastEventId(), second.data()))
        .containsExactly(missed1, "missed 1", missed2, "missed 2");
    String after = publish("live");
    ReceivedEvent live = back.poll(WAIT);
    assertThat(live).isNotNull();
    assertThat(live.lastEventId()).isEqualTo(after);
    assertThat(back.pendingEvents()).isZero();
  }

  private String publish(String data) throws Exception {
    return hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().get();
  }
}
