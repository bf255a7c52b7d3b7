package org.ssekit.interop;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.ssekit.ServerSentEvent;

/**
 * One run of a {@link Scenario} for one client on one server path: the API its script uses to drive
 * the server and to declare what a conformant client observes, and the comparison at the end.
 *
 * <p>A step that waits (for the client, for a request) and times out stops the script; the
 * comparison then reports what is missing. Every run has its own topic, so nothing carries over
 * between runs.
 *
 * <p><b>Thread safety:</b> confined to the test thread (the client records from its own threads
 * into its {@link ClientConnection}).
 */
final class ScenarioRun {
  /** The longest a step waits for the client or the server. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

  /** How long the run waits at the end for late events or an unexpected reconnect. */
  static final Duration SETTLE = Duration.ofMillis(200);

  /** How long a client must not reconnect after it should have given up. */
  static final Duration NO_RECONNECT_WINDOW = Duration.ofMillis(1200);

  private static final int MAX_EVENT_PROBLEMS = 3;

  private final ServerPath path;
  private final URI base;
  private final SseClient client;
  private final Scenario scenario;
  private final String topic;
  // The topic whose subscribers are the client's stream: the run's topic, or the first exact topic
  // of a selection (subscriberCount and disconnectAll count the streams that name a topic).
  private String streamTopic;
  private int expectedStatus;
  private List<Integer> expectedStatuses;
  // Set by the authorized connects: every request must carry the token this way (null: none).
  private boolean authorized;
  private Credential.Carrier expectedCarrier;
  private ClientConnection connection;
  private final List<Observation> expectedEvents = new ArrayList<>();
  private List<String> expectedLastEventIds = Arrays.asList((String) null);
  private ReadyState expectedFinalState = ReadyState.OPEN;
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long disconnectNanos;

  ScenarioRun(ServerPath path, URI base, SseClient client, Scenario scenario) {
    this.path = path;
    this.base = base;
    this.client = client;
    this.scenario = scenario;
    this.topic = client.kind().id() + "." + scenario.id();
    this.streamTopic = topic;
  }

  /** Runs the script, compares, closes the client's connection and returns the outcome. */
  Outcome run() throws Exception {
    long start = System.nanoTime();
    try {
      scenario.script().run(this);
    } catch (StepTimeout timeout) {
      problems.add(timeout.getMessage());
    }
    List<Observation> observed = List.of();
    try {
      if (connection != null) {
        compare();
        observed = connection.observations();
      }
    } finally {
      // The topic serves the scenario again on the next path: it starts reachable there.
      TopicOutages.down(topic, false);
      if (connection != null) {
        connection.close();
      }
    }
    return new Outcome(problems, notes, observed, Duration.ofNanos(System.nanoTime() - start));
  }

  // ---- The script's API: the server side.

  /**
   * Has the {@code index}-th connection (from 0) of this run's topic receive {@code events} when it
   * opens, outside the topic's log. Call before {@link #connect()}.
   *
   * @throws IllegalStateException if the server path cannot (the scenario must declare {@code
   *     needsOffers})
   */
  void offerOnOpen(int index, ServerSentEvent... events) {
    if (path.offers() == null) {
      throw new IllegalStateException(path.id() + " cannot offer events outside the log");
    }
    path.offers().offer(topic, index, List.of(events));
  }

  /** Publishes {@code event} to the run's topic and returns the id the log assigned. */
  String publish(ServerSentEvent event) throws Exception {
    return path.hub()
        .publish(topic, event)
        .toCompletableFuture()
        .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the topic {@code <run's topic>/<sub>}, a topic a selection of the run can name. */
  String topic(String sub) {
    return topic + "/" + sub;
  }

  /**
   * Publishes {@code event} to {@link #topic(String) topic(sub)} and returns the id the log
   * assigned; the client must not receive it unless the script expects it.
   */
  String publishTo(String sub, ServerSentEvent event) throws Exception {
    return path.hub()
        .publish(topic(sub), event)
        .toCompletableFuture()
        .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes {@code event} to {@link #topic(String) topic(sub)} and expects the client to dispatch
   * it as a {@code message} with {@code expectedData} and the assigned id.
   */
  String sendTo(String sub, ServerSentEvent event, String expectedData) throws Exception {
    String id = publishTo(sub, event);
    expectEvent("message", expectedData, id);
    return id;
  }

  /**
   * Closes {@link #topic(String) topic(sub)} with {@code SseHub.closeTopic}: it leaves the streams
   * of selections that name it.
   */
  void closeTopic(String sub) throws Exception {
    path.hub()
        .closeTopic(topic(sub))
        .toCompletableFuture()
        .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes {@code event} and expects the client to dispatch it with {@code expectedData} and the
   * assigned id as its last event id; the type is the event's, or {@code message} when it has none.
   */
  String send(ServerSentEvent event, String expectedData) throws Exception {
    String type = event.event() == null || event.event().isEmpty() ? "message" : event.event();
    return send(event, type, expectedData);
  }

  /** Publishes {@code event} and expects the client to dispatch it as the given type and data. */
  String send(ServerSentEvent event, String expectedType, String expectedData) throws Exception {
    String id = publish(event);
    expectEvent(expectedType, expectedData, id);
    return id;
  }

  /**
   * Ends the client's stream with {@code SseHub.disconnectAll} (of the run's topic, or of the
   * selection's first topic); the topics stay open.
   */
  void disconnect() {
    disconnectNanos = System.nanoTime();
    path.hub().disconnectAll(streamTopic);
  }

  /** Closes the topic with {@code SseHub.closeTopic}: its streams end, and reconnects get 204. */
  void closeTopic() throws Exception {
    path.hub()
        .closeTopic(topic)
        .toCompletableFuture()
        .get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Makes the log unreachable for the run's topic ({@code true}: its stream requests are refused
   * for a passing reason) or reachable again.
   */
  void logDown(boolean down) {
    TopicOutages.down(topic, down);
  }

  /** Waits until the log refused {@code count} replay lookups of the run's topic. */
  void awaitLogRefusals(int count) throws InterruptedException {
    if (!TopicOutages.awaitRefusals(topic, count, STEP_TIMEOUT)) {
      throw new StepTimeout(
          "the log refused "
              + TopicOutages.refusals(topic)
              + " of "
              + count
              + " replay lookups within "
              + STEP_TIMEOUT.toMillis()
              + " ms");
    }
  }

  /**
   * Returns true if the client documents honouring {@code Retry-After} (see {@link ClientKind}).
   */
  boolean clientHonoursRetryAfter() {
    return client.kind().honoursRetryAfter();
  }

  /**
   * Returns the time between the server's receipt of request {@code first} and request {@code
   * second} (counted from 1) of the topic, in milliseconds.
   */
  long millisBetweenRequests(int first, int second) {
    List<RequestLog.Request> requests = path.requests().requests(topic);
    return TimeUnit.NANOSECONDS.toMillis(
        requests.get(second - 1).receivedNanos() - requests.get(first - 1).receivedNanos());
  }

  /**
   * Returns true if the client reads its token for every request (see {@link
   * ClientKind#credentials()}), so that a token {@linkplain Credential#replace replaced} reaches
   * its reconnect.
   */
  boolean clientRefreshesCredentials() {
    return client.kind().credentials().refreshes();
  }

  /**
   * Waits until the server ended the client's stream on its own (no subscriber of the stream's
   * topic left) and records a problem if that happened before {@code notBefore}.
   */
  void awaitStreamEnd(Instant notBefore) {
    try {
      Awaitility.await()
          .atMost(STEP_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> path.hub().subscriberCount(streamTopic) == 0);
    } catch (ConditionTimeoutException e) {
      throw new StepTimeout(
          "the server did not end the stream within " + STEP_TIMEOUT.toMillis() + " ms");
    }
    disconnectNanos = System.nanoTime();
    Instant ended = Instant.now();
    check(!ended.isBefore(notBefore), "the stream ended at " + ended + ", before " + notBefore);
  }

  /** Waits until the hub subscribed the client to the run's topic. */
  void awaitSubscribed() {
    try {
      Awaitility.await()
          .atMost(STEP_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> path.hub().subscriberCount(streamTopic) > 0);
    } catch (ConditionTimeoutException e) {
      throw new StepTimeout(
          "the client did not subscribe within " + STEP_TIMEOUT.toMillis() + " ms");
    }
  }

  /** Waits until the server received {@code count} requests for the topic. */
  void awaitRequests(int count) throws InterruptedException {
    awaitRequests(count, STEP_TIMEOUT);
  }

  /**
   * Waits until the server received {@code count} requests for the topic, at most {@code timeout}.
   */
  void awaitRequests(int count, Duration timeout) throws InterruptedException {
    if (!path.requests().awaitRequests(topic, count, timeout)) {
      throw new StepTimeout(
          "timed out after "
              + timeout.toMillis()
              + " ms waiting for request "
              + count
              + " (the server received "
              + path.requests().requests(topic).size()
              + ")");
    }
  }

  /**
   * Waits for {@code window} and records a problem if the client sent another request meanwhile: a
   * client that failed the connection, or that had no reason to reconnect, must not.
   */
  void expectNoRequestFor(Duration window) throws InterruptedException {
    int count = path.requests().requests(topic).size();
    long start = System.nanoTime();
    if (path.requests().awaitRequests(topic, count + 1, window)) {
      problems.add(
          "reconnected (request "
              + (count + 1)
              + ") after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
              + " ms, where it must not");
    }
  }

  /**
   * Describes when the client reported the end of the stream after the last {@link #disconnect()},
   * for a failure message about reconnect timing; empty if its API reported nothing.
   */
  String streamEndSeen() {
    long seen = connection.firstRecordedNanos(Observation.Kind.ERROR, disconnectNanos);
    if (seen < 0) {
      return "";
    }
    return " (the client reported the end "
        + TimeUnit.NANOSECONDS.toMillis(seen - disconnectNanos)
        + " ms after the disconnect)";
  }

  /**
   * Returns the time from the last {@link #disconnect()} to the request after it, in milliseconds.
   */
  long reconnectDelayMillis() {
    List<RequestLog.Request> requests = path.requests().requests(topic);
    for (RequestLog.Request request : requests) {
      if (request.receivedNanos() > disconnectNanos) {
        return TimeUnit.NANOSECONDS.toMillis(request.receivedNanos() - disconnectNanos);
      }
    }
    throw new IllegalStateException("no request after the disconnect");
  }

  // ---- The script's API: the client side.

  /** Connects the client to the run's stream; see {@link #connect(Endpoint)}. */
  void connect() throws Exception {
    connect(Endpoint.STREAM);
  }

  /**
   * Connects the client to {@code endpoint}; for a stream, waits until the hub subscribed it and
   * the client reported the open connection (its response headers came, which the adapter flushes
   * only once the subscription is open), so that what the script publishes next is live.
   */
  void connect(Endpoint endpoint) throws Exception {
    open(endpoint, "", endpoint == Endpoint.STREAM);
  }

  /**
   * Connects the client to one stream of the exact topics {@code <run>/<t>} of {@code topics} and
   * the selectors {@code <run>/<u>/*} of {@code under} ({@link Endpoint#SELECTION}), and waits as
   * {@link #connect(Endpoint)} does for a stream.
   */
  void connectSelection(List<String> topics, List<String> under) throws Exception {
    streamTopic = topic(topics.get(0));
    open(Endpoint.SELECTION, SelectionQuery.of(topics, under), true);
  }

  /**
   * Connects the client to a selection as {@link #connectSelection} does, without waiting for a
   * stream: for a selection the server refuses.
   */
  void requestSelection(List<String> topics, List<String> under) throws Exception {
    open(Endpoint.SELECTION, SelectionQuery.of(topics, under), false);
  }

  /**
   * Connects the client to one stream of a selection as {@link #connectSelection} does, at the
   * {@link Endpoint#AUTHORIZED} endpoint, sending {@code credential} as the client can (see {@link
   * ClientKind#credentials()}); every request of the run must carry it that way.
   */
  void connectAuthorized(List<String> topics, List<String> under, Credential credential)
      throws Exception {
    streamTopic = topic(topics.get(0));
    expectCarrier(credential);
    open(Endpoint.AUTHORIZED, SelectionQuery.of(topics, under), true, credential);
  }

  /**
   * Connects the client as {@link #connectAuthorized} does, without waiting for a stream: for a
   * request the server refuses. With a null {@code credential} the client sends none, and none of
   * the run's requests may carry one.
   */
  void requestAuthorized(List<String> topics, List<String> under, Credential credential)
      throws Exception {
    expectCarrier(credential);
    open(Endpoint.AUTHORIZED, SelectionQuery.of(topics, under), false, credential);
  }

  private void expectCarrier(Credential credential) {
    authorized = true;
    expectedCarrier = credential == null ? null : client.kind().credentials().carrier();
  }

  private void open(Endpoint endpoint, String query, boolean stream) throws Exception {
    open(endpoint, query, stream, null);
  }

  private void open(Endpoint endpoint, String query, boolean stream, Credential credential)
      throws Exception {
    if (connection != null) {
      throw new IllegalStateException("connect called twice in " + scenario.id());
    }
    URI uri = base.resolve(endpoint.path(topic) + query);
    connection = client.open(path.id() + "." + topic, uri, scenario.types(), credential);
    if (stream) {
      awaitSubscribed();
      // Publishing any sooner is not safe in this build: an event published after the subscription
      // but
      // before the log's replay lookup can be lost (reported to sse-core); this suite tests the
      // clients.
      if (!connection.await(
          all -> all.stream().anyMatch(o -> o.kind() == Observation.Kind.OPEN), STEP_TIMEOUT)) {
        throw new StepTimeout(
            "the client reported no open connection within " + STEP_TIMEOUT.toMillis() + " ms");
      }
    }
  }

  /** Waits until the client dispatched {@code count} events. */
  void awaitEvents(int count) throws InterruptedException {
    awaitEvents(count, STEP_TIMEOUT);
  }

  /** Waits until the client dispatched {@code count} events, at most {@code timeout}. */
  void awaitEvents(int count, Duration timeout) throws InterruptedException {
    if (!connection.awaitEvents(count, timeout)) {
      throw new StepTimeout(
          "timed out after "
              + timeout.toMillis()
              + " ms waiting for event "
              + count
              + " (the client dispatched "
              + connection.events().size()
              + ")");
    }
  }

  // ---- The script's API: expectations.

  /** Expects the client to dispatch an event (in order after the ones expected before). */
  void expectEvent(String type, String data, String lastEventId) {
    expectedEvents.add(Observation.event(type, data, lastEventId));
  }

  /**
   * Expects the server to receive exactly these requests for the topic, with these {@code
   * Last-Event-ID} headers (null: none). By default, one request without the header.
   */
  void expectRequests(String... lastEventIds) {
    expectedLastEventIds = Arrays.asList(lastEventIds);
  }

  /**
   * Expects the server to have answered each request that {@link #expectRequests} expects with
   * {@code status}, checked at the end (by default the status is not checked: a stream's is known
   * only when it ends).
   */
  void expectStatus(int status) {
    expectedStatus = status;
  }

  /**
   * Expects the server to have answered the requests with these statuses, in order (null: not
   * checked, such as a stream still open), checked at the end.
   */
  void expectStatuses(Integer... statuses) {
    expectedStatuses = Arrays.asList(statuses);
  }

  /** Expects the client's ready state at the end (OPEN by default). */
  void expectFinalState(ReadyState state) {
    expectedFinalState = state;
  }

  /** Records a measurement for the test output (not the matrix). */
  void note(String note) {
    notes.add(note);
  }

  /** Records {@code problem} unless {@code ok}. */
  void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  // ---- The comparison.

  private void compare() throws InterruptedException {
    int requestCount = path.requests().requests(topic).size();
    // Late events and unexpected reconnects show up here.
    path.requests().awaitRequests(topic, requestCount + 1, SETTLE);
    try {
      ReadyState state = connection.readyState();
      check(
          state == expectedFinalState,
          "readyState at the end: expected " + expectedFinalState + " but was " + state);
    } catch (Exception e) {
      problems.add("cannot read the client's state: " + e);
    }
    compareEvents(connection.events());
    List<String> received = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    List<Credential.Carrier> carriers = new ArrayList<>();
    for (RequestLog.Request request : path.requests().requests(topic)) {
      received.add(request.lastEventId());
      protocols.add(request.protocol());
      statuses.add(request.answered());
      carriers.add(request.credential());
      // A 401 must say how to authenticate (RFC 9110 section 15.5.2), whatever the client does.
      check(
          request.answered() != 401
              || (request.answeredChallenge() != null
                  && request.answeredChallenge().startsWith("Bearer ")),
          "a 401 without a Bearer WWW-Authenticate challenge: " + request.answeredChallenge());
    }
    if (authorized) {
      check(
          carriers.stream().allMatch(carrier -> carrier == expectedCarrier),
          "credentials: every request must carry "
              + (expectedCarrier == null ? "no token" : "the token as " + expectedCarrier)
              + " but the server saw "
              + carriers);
    }
    if (expectedStatuses != null) {
      boolean asExpected = true;
      for (int i = 0; i < Math.min(statuses.size(), expectedStatuses.size()); i++) {
        Integer expected = expectedStatuses.get(i);
        asExpected &= expected == null || expected.equals(statuses.get(i));
      }
      check(
          asExpected,
          "status: expected " + expectedStatuses + " but the server answered " + statuses);
    }
    String protocol = client.kind().protocol();
    check(
        protocols.stream().allMatch(protocol::equals),
        "protocol: every request must arrive as " + protocol + " but the server saw " + protocols);
    if (expectedStatus != 0) {
      // The requests the script expects; a client's extra retry, still open, is caught above.
      List<Integer> expected =
          statuses.subList(0, Math.min(statuses.size(), expectedLastEventIds.size()));
      check(
          expected.stream().allMatch(status -> status == expectedStatus),
          "status: every request must be answered "
              + expectedStatus
              + " but the server answered "
              + statuses);
    }
    check(
        received.equals(expectedLastEventIds),
        "requests: expected "
            + describeHeaders(expectedLastEventIds)
            + " but the server received "
            + describeHeaders(received));
  }

  private void compareEvents(List<Observation> events) {
    int reported = 0;
    int n = Math.max(events.size(), expectedEvents.size());
    for (int i = 0; i < n && reported < MAX_EVENT_PROBLEMS; i++) {
      Observation expected = i < expectedEvents.size() ? expectedEvents.get(i) : null;
      Observation actual = i < events.size() ? events.get(i) : null;
      String problem = null;
      if (actual == null) {
        problem = "event " + (i + 1) + " missing: expected " + expected;
      } else if (expected == null) {
        problem = "event " + (i + 1) + " unexpected: " + actual;
      } else if (!matches(expected, actual)) {
        problem = "event " + (i + 1) + ": expected " + expected + " but got " + actual;
      }
      if (problem != null) {
        problems.add(problem);
        reported++;
      }
    }
    if (reported == MAX_EVENT_PROBLEMS) {
      problems.add(
          "(further event differences not listed; "
              + events.size()
              + " dispatched, "
              + expectedEvents.size()
              + " expected)");
    }
  }

  /**
   * Compares type, data and last event id; a client that reports no last event id is not compared
   * on it.
   */
  private static boolean matches(Observation expected, Observation actual) {
    return expected.type().equals(actual.type())
        && expected.data().equals(actual.data())
        && (actual.lastEventId() == null || expected.lastEventId().equals(actual.lastEventId()));
  }

  private static String describeHeaders(List<String> lastEventIds) {
    List<String> described = new ArrayList<>();
    for (String id : lastEventIds) {
      described.add(id == null ? "no Last-Event-ID" : "Last-Event-ID " + Text.quote(id));
    }
    return lastEventIds.size() + " request(s) " + described;
  }

  /** A step waited in vain; the run stops its script and compares what it has. */
  private static final class StepTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepTimeout(String message) {
      super(message, null, false, false);
    }
  }
}
