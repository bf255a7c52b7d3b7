package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.RefusalAnswer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.OutageLog;
import org.ssekit.testkit.RawSseClient;

/**
 * How an {@link SseTopic} method answers a stream request refused for a passing reason (issue 20),
 * on both write paths: the same bytes as the servlet adapter, {@code 200}, the stream's headers,
 * one jittered {@code retry:} and the end; {@code 503} with {@code Retry-After} when so configured;
 * {@code 204} for a closed topic.
 */
class RefusalTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(4);
  private static final Pattern RETRY_BODY = Pattern.compile("retry: (\\d+)\n\n");
  private static final String TARGET = "/api/topics/t";

  /** Where the application runs: a servlet container (servlet write path), or none (sinks). */
  enum Path {
    JETTY,
    TOMCAT,
    NO_SERVLET
  }

  /** A passing reason to refuse a stream request. */
  enum Refusal {
    HUB_LIMIT,
    TOPIC_LIMIT,
    HUB_CLOSED,
    LOG_FAILURE,
    LOG_FAILURE_LATE,
    /** The authorizer cannot decide now ({@link Authorization#unavailable}). */
    AUTHORIZER_UNAVAILABLE
  }

  private final OutageLog log = new OutageLog();

  /** Whether the authorizer answers {@link Authorization#unavailable}; else it allows. */
  private final AtomicBoolean authorizerDown = new AtomicBoolean();

  private final Authorizer authorizer =
      request ->
          authorizerDown.get()
              ? Authorization.unavailable("sessions cannot be checked now")
              : Authorization.allow();
  private Fixture fixture;

  /** Every path, less the one without servlet container where the runtime has none. */
  static Stream<Path> paths() {
    return Stream.of(Path.values())
        .filter(path -> path != Path.NO_SERVLET || Rows.withoutServlet("RefusalTest"));
  }

  static Stream<Arguments> refusals() {
    return paths().flatMap(p -> Stream.of(Refusal.values()).map(r -> Arguments.of(p, r)));
  }

  static Stream<Arguments> resumableRefusals() {
    return paths()
        .flatMap(
            p ->
                Stream.of(Refusal.TOPIC_LIMIT, Refusal.LOG_FAILURE, Refusal.AUTHORIZER_UNAVAILABLE)
                    .map(r -> Arguments.of(p, r)));
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(Path path, UnaryOperator<SseHub.Builder> hub, RefusalAnswer answer) {
    UnaryOperator<SseHub.Builder> config =
        builder -> hub.apply(builder.retryAfter(RETRY_AFTER).eventLog(log));
    UnaryOperator<SseHubFeature.Builder> feature =
        builder -> builder.refusalAnswer(answer).authorizer(authorizer);
    fixture =
        path == Path.NO_SERVLET
            ? Fixture.startWithoutServletWithFeature(config, feature)
            : Fixture.startWithFeature(
                path == Path.JETTY ? TestServer.Kind.JETTY : TestServer.Kind.TOMCAT,
                config,
                feature);
  }

  private void startRefusing(Path path, Refusal refusal, RefusalAnswer answer) {
    UnaryOperator<SseHub.Builder> hub =
        refusal == Refusal.HUB_LIMIT
            ? b -> b.maxSubscribers(1)
            : refusal == Refusal.TOPIC_LIMIT ? b -> b.maxSubscribersPerTopic(1) : b -> b;
    start(path, hub, answer);
    switch (refusal) {
      case HUB_LIMIT:
      case TOPIC_LIMIT:
        fixture.get(TARGET);
        fixture.awaitSubscribers("t", 1);
        break;
      case HUB_CLOSED:
        fixture.hub.close();
        break;
      case LOG_FAILURE_LATE:
        log.late(true);
        log.down(true);
        break;
      case LOG_FAILURE:
        log.down(true);
        break;
      case AUTHORIZER_UNAVAILABLE:
        authorizerDown.set(true);
        break;
    }
  }

  private static void assertRetryStream(RawSseClient client) throws InterruptedException {
    assertThat(client.awaitEnd(TIMEOUT)).as("the refusal ends").isTrue();
    assertThat(client.status()).isEqualTo(200);
    assertThat(client.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(client.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(client.header("X-Accel-Buffering")).isEqualTo("no");
    assertThat(client.header("Retry-After")).isNull();
    Matcher body = RETRY_BODY.matcher(client.body());
    assertThat(body.matches()).as("body is one retry field: %s", client.body()).isTrue();
    assertThat(Long.parseLong(body.group(1)))
        .isBetween(RETRY_AFTER.toMillis() / 2, RETRY_AFTER.toMillis() * 3 / 2);
    assertThat(client.pendingEvents()).isZero();
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void passingRefusalAnswers200WithOneJitteredRetryAndEnds(Path path, Refusal refusal)
      throws Exception {
    startRefusing(path, refusal, RefusalAnswer.RETRY_STREAM);

    assertRetryStream(fixture.get(TARGET));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void passingRefusalAnswers503WithRetryAfterWhenSoConfigured(Path path, Refusal refusal)
      throws Exception {
    startRefusing(path, refusal, RefusalAnswer.SERVICE_UNAVAILABLE);

    RawSseClient refused = fixture.get(TARGET);

    assertThat(refused.awaitEnd(TIMEOUT)).isTrue();
    if (refusal == Refusal.LOG_FAILURE_LATE && path == Path.NO_SERVLET) {
      // Jersey sent the stream's head before the log failed: the stream just ends.
      assertThat(refused.status()).isEqualTo(200);
      assertThat(refused.bodyLength()).isZero();
      return;
    }
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("4");
    if (refusal == Refusal.AUTHORIZER_UNAVAILABLE) {
      assertThat(refused.header("Content-Type")).startsWith("text/plain");
      assertThat(refused.body()).isEqualTo("sessions cannot be checked now\n");
    }
  }

  @ParameterizedTest
  @MethodSource("paths")
  void closedTopicAnswers204(Path path) throws Exception {
    start(path, b -> b, RefusalAnswer.RETRY_STREAM);
    fixture.hub.closeTopic("t").toCompletableFuture().get();

    RawSseClient refused = fixture.get(TARGET);

    assertThat(refused.awaitEnd(TIMEOUT)).isTrue();
    assertThat(refused.status()).isEqualTo(204);
    assertThat(refused.bodyLength()).isZero();
  }

  @ParameterizedTest
  @MethodSource("resumableRefusals")
  void refusedClientComingBackWithItsLastEventIdGetsExactlyTheMissedEvents(
      Path path, Refusal refusal) throws Exception {
    startRefusing(path, refusal, RefusalAnswer.RETRY_STREAM);
    log.down(false);
    String seen = publish("seen");
    String missed1 = publish("missed 1");
    log.down(refusal == Refusal.LOG_FAILURE);
    authorizerDown.set(refusal == Refusal.AUTHORIZER_UNAVAILABLE);
    Map<String, String> lastEventId = Map.of("Last-Event-ID", seen);

    assertRetryStream(fixture.get(TARGET, lastEventId));

    log.down(false);
    authorizerDown.set(false);
    fixture.hub.disconnectAll("t");
    fixture.awaitSubscribers("t", 0);
    String missed2 = publish("missed 2");
    RawSseClient back = fixture.get(TARGET, lastEventId);
    ReceivedEvent first = back.poll(TIMEOUT);
    ReceivedEvent second = back.poll(TIMEOUT);
    assertThat(back.status()).isEqualTo(200);
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(List.of(first.lastEventId(), first.data(), second.lastEventId(), second.data()))
        .containsExactly(missed1, "missed 1", missed2, "missed 2");
    String live = publish("live");
    ReceivedEvent third = back.poll(TIMEOUT);
    assertThat(third).isNotNull();
    assertThat(third.lastEventId()).isEqualTo(live);
    assertThat(back.pendingEvents()).isZero();
  }

  private String publish(String data) throws Exception {
    return fixture.hub.publish("t", ServerSentEvent.of(data)).toCompletableFuture().get();
  }
}
