package org.ssekit.interop;

import static org.ssekit.interop.Scenario.Group.AUTHORIZATION;
import static org.ssekit.interop.Scenario.Group.FIELDS;
import static org.ssekit.interop.Scenario.Group.FRAMING;
import static org.ssekit.interop.Scenario.Group.LIFECYCLE;
import static org.ssekit.interop.Scenario.Group.SELECTIONS;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;

/**
 * The scenarios, written from the WHATWG HTML standard's "Server-sent events" section
 * ("Interpreting an event stream", "Dispatch the event", the {@code EventSource} reconnection and
 * failure rules). Each expectation is what that text makes a conformant client observe; none is
 * derived from ssekit's encoder.
 *
 * <p>The server always speaks through the library's public API: events are published to a topic
 * ({@code SseHub.publish}, so the log assigns the ids), offered to one connection when it opens
 * ({@code Subscription.offer}, for ids the scenario chooses), streams end with {@code
 * SseHub.disconnectAll} or {@code SseHub.closeTopic}, refusals come from the adapter.
 */
final class Scenarios {
  /** The reconnection time that scenarios which reconnect send first, to keep the suite short. */
  static final Duration SHORT_RETRY = Duration.ofMillis(200);

  /**
   * The reconnection time of the retry scenario: distinct from every client's default (0.5 s to 3
   * s).
   */
  static final Duration TESTED_RETRY = Duration.ofMillis(1500);

  /**
   * A reconnect this late (after the stream ended) means the client used its default of 3 s
   * (Chromium, undici, eventsource, the reference) instead of {@link #TESTED_RETRY}; Jersey's 0.5 s
   * and okhttp-eventsource's 1 s defaults are caught as too early.
   */
  static final long RETRY_IGNORED_MILLIS = 2900;

  /** How long the keep-alive scenario leaves the stream idle: more than the 2 s read timeouts. */
  static final Duration IDLE = Duration.ofMillis(3000);

  private static final Duration LONG_DATA_TIMEOUT = Duration.ofSeconds(20);
  private static final int LONG_DATA_CHARS = 1 << 20;

  /** The exact topics of the selection scenarios' streams, under the run's topic. */
  private static final List<String> TOPICS = List.of("a", "b");

  /** The selectors of the selection scenarios' streams: {@code c/*} under the run's topic. */
  private static final List<String> UNDER = List.of("c");

  /**
   * The exact topic of the authorized streams, beside the selector {@code c/*} of {@link #UNDER}.
   */
  private static final List<String> AUTH_TOPICS = List.of("a");

  /** With {@link #UNDER}, one entry more than the hub's default limit of 64 per stream. */
  private static final List<String> TOO_MANY_TOPICS =
      IntStream.range(0, 64).mapToObj(i -> "t" + i).toList();

  private static final List<Scenario> ALL =
      List.of(
          // ---- Framing.
          framing(
              "data-single-line",
              "one line of data",
              run -> {
                run.connect();
                run.send(data("hello, world"), "hello, world");
                run.awaitEvents(1);
              }),
          framing(
              "data-lines-lf",
              "multi-line data, lines ended by LF",
              run -> {
                run.connect();
                run.send(data("first\nsecond\nthird"), "first\nsecond\nthird");
                run.awaitEvents(1);
              }),
          framing(
              "data-lines-cr",
              "multi-line data, lines ended by CR",
              run -> {
                run.connect();
                run.send(data("first\rsecond\rthird"), "first\nsecond\nthird");
                run.awaitEvents(1);
              }),
          framing(
              "data-lines-crlf",
              "multi-line data, lines ended by CRLF",
              run -> {
                run.connect();
                run.send(data("first\r\nsecond\r\nthird"), "first\nsecond\nthird");
                run.awaitEvents(1);
              }),
          framing(
              "data-empty",
              "empty data is still an event",
              run -> {
                run.connect();
                run.send(data(""), "");
                run.send(data("after the empty one"), "after the empty one");
                run.awaitEvents(2);
              }),
          framing(
              "data-blank-lines",
              "leading and trailing blank lines in data",
              run -> {
                run.connect();
                run.send(data("\nafter a blank first line"), "\nafter a blank first line");
                run.send(data("before a blank last line\n"), "before a blank last line\n");
                run.send(data("\n\nbetween blank lines\n\n"), "\n\nbetween blank lines\n\n");
                run.send(data("\n"), "\n");
                run.awaitEvents(4);
              }),
          framing(
              "data-space-colon",
              "data starting with a space or a colon",
              run -> {
                run.connect();
                run.send(data(" one leading space"), " one leading space");
                run.send(data("  two leading spaces"), "  two leading spaces");
                run.send(data(":a leading colon"), ":a leading colon");
                run.send(data("name: value"), "name: value");
                run.awaitEvents(4);
              }),
          framing(
              "data-non-ascii",
              "non-ASCII text, BMP and astral",
              run -> {
                run.connect();
                run.send(data("grüße · Ελληνικά · 日本語 · ∑ · €"), "grüße · Ελληνικά · 日本語 · ∑ · €");
                run.send(data("astral: 😀 𝄞 🀄 👩‍💻"), "astral: 😀 𝄞 🀄 👩‍💻");
                run.awaitEvents(2);
              }),
          framing(
              "data-1mib",
              "1 MiB of data in one line",
              run -> {
                run.connect();
                String longData = longData();
                run.send(data(longData), longData);
                run.send(data("after the long one"), "after the long one");
                run.awaitEvents(2, LONG_DATA_TIMEOUT);
              }),

          // ---- Fields.
          fields(
              "event-types",
              "event types, one named like a built-in handler (error)",
              Set.of("update", "error", "message"),
              false,
              run -> {
                run.connect();
                run.send(
                    ServerSentEvent.builder().event("update").data("typed update").build(),
                    "update",
                    "typed update");
                run.send(
                    ServerSentEvent.builder().event("error").data("typed error").build(),
                    "error",
                    "typed error");
                run.send(
                    ServerSentEvent.builder().event("message").data("typed message").build(),
                    "message",
                    "typed message");
                run.send(
                    ServerSentEvent.builder().event("").data("empty type").build(),
                    "message",
                    "empty type");
                run.send(data("no type"), "message", "no type");
                run.awaitEvents(5);
              }),
          fields(
              "id-persists",
              "an id persists across events without one, and is sent as Last-Event-ID",
              Set.of("message", SseHub.GAP_EVENT_TYPE),
              true,
              run -> {
                run.offerOnOpen(
                    0,
                    ServerSentEvent.builder()
                        .id("p-1")
                        .retry(SHORT_RETRY)
                        .data("with id p-1")
                        .build(),
                    data("without an id"));
                run.expectEvent("message", "with id p-1", "p-1");
                run.expectEvent("message", "without an id", "p-1");
                // The log never assigned p-1, so on the reconnect the hub's default UnknownIdPolicy
                // tells the
                // client so; the notice has no id, so the last event id is still p-1.
                run.expectEvent(SseHub.GAP_EVENT_TYPE, "unknown-last-event-id", "p-1");
                run.expectRequests(null, "p-1");
                run.connect();
                run.awaitEvents(2);
                run.disconnect();
                run.awaitRequests(2);
                run.awaitEvents(3);
              }),
          fields(
              "id-reset",
              "an empty id resets the last event id: no Last-Event-ID on reconnect",
              Set.of("message"),
              true,
              run -> {
                run.offerOnOpen(
                    0,
                    ServerSentEvent.builder()
                        .id("r-1")
                        .retry(SHORT_RETRY)
                        .data("with id r-1")
                        .build(),
                    ServerSentEvent.builder().id("").data("with an empty id").build(),
                    data("after the reset"));
                run.expectEvent("message", "with id r-1", "r-1");
                run.expectEvent("message", "with an empty id", "");
                run.expectEvent("message", "after the reset", "");
                run.expectRequests(null, null);
                run.connect();
                run.awaitEvents(3);
                run.disconnect();
                run.awaitRequests(2);
              }),
          fields(
              "retry",
              "retry sets the reconnection time (" + TESTED_RETRY.toMillis() + " ms)",
              run -> {
                run.connect();
                String id =
                    run.send(
                        ServerSentEvent.builder().retry(TESTED_RETRY).data("with retry").build(),
                        "with retry");
                run.expectRequests(null, id);
                run.awaitEvents(1);
                run.disconnect();
                run.awaitRequests(2, TESTED_RETRY.plusSeconds(5));
                long delayMillis = run.reconnectDelayMillis();
                long retryMillis = TESTED_RETRY.toMillis();
                run.note("reconnected " + delayMillis + " ms after the stream ended");
                // The delay runs from before the stream ended to the request's arrival, so it
                // exceeds the client's
                // wait by the time the end and the request take to travel: a client that waits the
                // reconnection
                // time is never early.
                run.check(
                    delayMillis >= retryMillis,
                    "reconnected "
                        + delayMillis
                        + " ms after the stream ended,"
                        + " sooner than the retry of "
                        + retryMillis
                        + " ms");
                // Later is allowed ("optionally, wait some more"), but not as late as the clients'
                // 3 s default:
                // that is a client that ignored the retry field.
                run.check(
                    delayMillis < RETRY_IGNORED_MILLIS,
                    "reconnected "
                        + delayMillis
                        + " ms after the stream ended, not after the retry of "
                        + retryMillis
                        + " ms"
                        + run.streamEndSeen());
              }),
          fields(
              "comments",
              "comments, even ones that look like fields, are ignored",
              run -> {
                run.connect();
                run.send(
                    ServerSentEvent.builder()
                        .comment("a comment")
                        .comment("data: not data\nevent: not-a-type\nid: not-an-id\nretry: 1")
                        .data("after the comments")
                        .build(),
                    "after the comments");
                run.send(data("the next event"), "the next event");
                run.awaitEvents(2);
              }),

          // ---- Lifecycle.
          lifecycle(
              "reconnect-last-event-id",
              "server ends the stream: reconnect with Last-Event-ID, receive exactly the missed events",
              run -> {
                run.connect();
                run.send(ServerSentEvent.builder().retry(SHORT_RETRY).data("one").build(), "one");
                run.send(data("two"), "two");
                String third = run.send(data("three"), "three");
                run.expectRequests(null, third);
                run.awaitEvents(3);
                run.disconnect();
                run.send(data("four, missed"), "four, missed");
                run.send(data("five, missed"), "five, missed");
                run.awaitRequests(2);
                run.awaitEvents(5);
                run.send(data("six, live"), "six, live");
                run.awaitEvents(6);
              }),
          lifecycle(
              "topic-closed-204",
              "topic closed: the reconnect gets 204 and the client stops",
              run -> {
                run.connect();
                String id =
                    run.send(
                        ServerSentEvent.builder()
                            .retry(SHORT_RETRY)
                            .data("before the close")
                            .build(),
                        "before the close");
                run.expectRequests(null, id);
                run.expectFinalState(ReadyState.CLOSED);
                run.awaitEvents(1);
                run.closeTopic();
                run.awaitRequests(2);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          lifecycle(
              "status-403",
              "a non-200 status (403) fails the connection",
              run -> {
                run.expectFinalState(ReadyState.CLOSED);
                run.connect(Endpoint.REFUSED);
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          lifecycle(
              "wrong-content-type",
              "200 with text/plain fails the connection, nothing dispatched",
              run -> {
                run.expectFinalState(ReadyState.CLOSED);
                run.connect(Endpoint.WRONG_CONTENT_TYPE);
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          lifecycle(
              "refused-retry",
              "a passing refusal (the log unreachable) answers 200 + retry: and the end:"
                  + " the client comes back with Last-Event-ID",
              run -> {
                run.connect();
                String before =
                    run.send(
                        ServerSentEvent.builder()
                            .retry(SHORT_RETRY)
                            .data("before the outage")
                            .build(),
                        "before the outage");
                run.expectRequests(null, before, before);
                run.awaitEvents(1);
                run.logDown(true);
                run.disconnect();
                run.awaitLogRefusals(1);
                // Refused with a retry: of 1-1.5 s; meanwhile an event is logged and the log
                // comes back.
                run.send(data("published during the outage"), "published during the outage");
                run.logDown(false);
                run.awaitRequests(3);
                run.awaitEvents(2);
                run.send(data("live again"), "live again");
                run.awaitEvents(3);
              }),
          lifecycle(
              "refused-503",
              "a passing refusal answered 503 + Retry-After (the opt-in): the client fails the"
                  + " connection (one that documents honouring Retry-After comes back no sooner)",
              run -> {
                run.logDown(true);
                if (!run.clientHonoursRetryAfter()) {
                  run.expectFinalState(ReadyState.CLOSED);
                  run.connect(Endpoint.UNAVAILABLE);
                  run.awaitRequests(1);
                  run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
                  return;
                }
                // The client's documented extension, checked exactly: it waits the Retry-After,
                // comes back (still without a Last-Event-ID) and then reads the stream.
                run.expectRequests(null, null);
                run.connect(Endpoint.UNAVAILABLE);
                run.awaitLogRefusals(1);
                run.logDown(false);
                // Its delay is the longer of Retry-After and its reconnection delay (3 s + jitter).
                run.awaitRequests(2);
                long delayMillis = run.millisBetweenRequests(1, 2);
                run.note("reconnected " + delayMillis + " ms after the 503");
                run.check(
                    delayMillis >= ServerPath.RETRY_AFTER.toMillis(),
                    "reconnected "
                        + delayMillis
                        + " ms after the 503, sooner than its Retry-After of "
                        + ServerPath.RETRY_AFTER.toMillis()
                        + " ms");
                run.awaitSubscribed();
                run.send(data("after the outage"), "after the outage");
                run.awaitEvents(1);
              }),
          lifecycle(
              "keep-alive",
              "keep-alive comments keep an idle stream open (" + IDLE.toMillis() + " ms)",
              run -> {
                run.connect();
                run.send(data("before the idle period"), "before the idle period");
                run.awaitEvents(1);
                run.expectNoRequestFor(IDLE);
                run.send(data("after the idle period"), "after the idle period");
                run.awaitEvents(2);
              }),

          // ---- Selections: one stream of the topics a and b and the selector c/* under the
          // run's topic; d, c itself and c/x/deep are published to but not selected.
          selections(
              "selection-topics",
              "one stream of two topics and a selector (c/*): each topic's events in order,"
                  + " nothing from other topics",
              run -> {
                run.connectSelection(TOPICS, UNDER);
                run.sendTo("a", data("a 1"), "a 1");
                run.publishTo("d", data("d 1, not selected"));
                run.sendTo("b", data("b 1"), "b 1");
                run.sendTo("c/x", data("c/x 1"), "c/x 1");
                run.publishTo("c/x/deep", data("c/x/deep, two segments below c"));
                run.publishTo("c", data("c itself, no segment below c"));
                run.sendTo("c/y", data("c/y 1"), "c/y 1");
                run.sendTo("a", data("a 2"), "a 2");
                run.publishTo("d", data("d 2, not selected"));
                run.sendTo("b", data("b 2"), "b 2");
                run.sendTo("c/x", data("c/x 2"), "c/x 2");
                run.awaitEvents(7);
              }),
          selections(
              "selection-resume",
              "server ends the stream: the one Last-Event-ID resumes every topic exactly (nothing"
                  + " lost, nothing twice), a topic created meanwhile included",
              run -> {
                run.connectSelection(TOPICS, UNDER);
                run.sendTo(
                    "a", ServerSentEvent.builder().retry(SHORT_RETRY).data("a 1").build(), "a 1");
                run.sendTo("b", data("b 1"), "b 1");
                String last = run.sendTo("c/x", data("c/x 1"), "c/x 1");
                run.expectRequests(null, last);
                run.awaitEvents(3);
                run.disconnect();
                run.sendTo("b", data("b 2, missed"), "b 2, missed");
                run.publishTo("d", data("d 1, not selected"));
                run.sendTo(
                    "c/new",
                    data("c/new 1, missed: a topic created meanwhile"),
                    "c/new 1, missed: a topic created meanwhile");
                run.sendTo("a", data("a 2, missed"), "a 2, missed");
                run.awaitRequests(2);
                run.awaitEvents(6);
                run.sendTo("c/x", data("c/x 2, live"), "c/x 2, live");
                run.sendTo("a", data("a 3, live"), "a 3, live");
                run.awaitEvents(8);
              }),
          selections(
              "selection-topic-closed",
              "a topic of the stream closed: the stream goes on with the others, no reconnect",
              run -> {
                run.connectSelection(TOPICS, UNDER);
                run.sendTo("a", data("a 1"), "a 1");
                run.sendTo("b", data("b 1"), "b 1");
                run.awaitEvents(2);
                run.closeTopic("a");
                run.sendTo("b", data("b 2, after a closed"), "b 2, after a closed");
                run.sendTo("c/x", data("c/x 1, after a closed"), "c/x 1, after a closed");
                run.awaitEvents(4);
              }),
          selections(
              "selection-400",
              "a selection over the hub's limit ("
                  + (TOO_MANY_TOPICS.size() + 1)
                  + " entries)"
                  + " answers 400: the client fails the connection",
              run -> {
                run.expectStatus(400);
                run.expectFinalState(ReadyState.CLOSED);
                run.requestSelection(TOO_MANY_TOPICS, UNDER);
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),

          // ---- Authorization: the /auth/ endpoint (JwtAuthorizer) with a selection of the topic
          // a and the selector c/* under the run's topic; the client sends its token as its API
          // allows (ClientKind.credentials: a header, or the page's cookie).
          authorization(
              "auth-allowed",
              "a token that covers the selection (a, c/*): the events of those topics, nothing of"
                  + " others",
              run -> {
                run.connectAuthorized(
                    AUTH_TOPICS, UNDER, new Credential(InteropTokens.valid(granted(run))));
                run.sendTo("a", data("a 1"), "a 1");
                run.publishTo("b", data("b 1, not requested"));
                run.sendTo("c/x", data("c/x 1"), "c/x 1");
                run.publishTo("c/x/deep", data("c/x/deep, not covered by c/*"));
                run.publishTo("d", data("d 1, not requested"));
                run.sendTo("a", data("a 2"), "a 2");
                run.awaitEvents(3);
              }),
          authorization(
              "auth-no-token",
              "no token: 401 with WWW-Authenticate, the client fails the connection",
              run -> {
                run.expectStatus(401);
                run.expectFinalState(ReadyState.CLOSED);
                run.requestAuthorized(AUTH_TOPICS, UNDER, null);
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          authorization(
              "auth-bad-token",
              "a token signed with another key: 401 with WWW-Authenticate, the client fails the"
                  + " connection",
              run -> {
                run.expectStatus(401);
                run.expectFinalState(ReadyState.CLOSED);
                run.requestAuthorized(
                    AUTH_TOPICS,
                    UNDER,
                    new Credential(InteropTokens.signedWithAnotherKey(granted(run))));
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          authorization(
              "auth-forbidden",
              "a valid token that does not cover a requested topic (b): 403, the client fails the"
                  + " connection",
              run -> {
                run.expectStatus(403);
                run.expectFinalState(ReadyState.CLOSED);
                run.requestAuthorized(
                    List.of("a", "b"), UNDER, new Credential(InteropTokens.valid(granted(run))));
                run.awaitRequests(1);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }),
          authorization(
              "auth-expiry",
              "the token expires: the stream ends with retry:, the reconnect sends Last-Event-ID;"
                  + " a token renewed meanwhile resumes exactly the missed events, the same token"
                  + " gets 401 and the client stops",
              run -> {
                Instant exp = InteropTokens.wholeSecondsAhead(1);
                Credential credential = new Credential(InteropTokens.until(exp, granted(run)));
                run.connectAuthorized(AUTH_TOPICS, UNDER, credential);
                String first =
                    run.sendTo("a", data("a 1, before the expiry"), "a 1, before the expiry");
                run.expectRequests(null, first);
                run.awaitEvents(1);
                // The application renews its login; only a client that asks for the token per
                // request sends the new one on its reconnect.
                credential.replace(InteropTokens.valid(granted(run)));
                run.awaitStreamEnd(exp);
                if (run.clientRefreshesCredentials()) {
                  run.expectStatuses(200, null);
                  run.sendTo("c/x", data("c/x 1, missed"), "c/x 1, missed");
                  run.sendTo("a", data("a 2, missed"), "a 2, missed");
                  run.awaitRequests(2);
                  run.awaitEvents(3);
                  run.sendTo("a", data("a 3, live"), "a 3, live");
                  run.awaitEvents(4);
                  return;
                }
                run.expectStatuses(200, 401);
                run.expectFinalState(ReadyState.CLOSED);
                run.publishTo("a", data("a 2, after the expiry: never delivered"));
                run.awaitRequests(2);
                run.expectNoRequestFor(ScenarioRun.NO_RECONNECT_WINDOW);
              }));

  /**
   * The scenarios of the HTTP/2 columns: framing (small and 1 MiB, which spans many h2 frames and
   * flow-control windows), resume, a refusal and the selection scenarios that stream.
   */
  static final Set<String> OVER_H2 =
      Set.of(
          "data-single-line",
          "data-1mib",
          "reconnect-last-event-id",
          "status-403",
          "selection-topics",
          "selection-resume");

  private Scenarios() {}

  /** Returns every scenario, in matrix order. */
  static List<Scenario> all() {
    return ALL;
  }

  /** Returns 1 MiB (2^20 chars) of one-line data, mostly ASCII with some multi-byte characters. */
  static String longData() {
    StringBuilder out = new StringBuilder(LONG_DATA_CHARS);
    String pattern = "The quick brown fox jumps over the lazy dog 0123456789 ü € 日 😀 ";
    while (out.length() < LONG_DATA_CHARS) {
      out.append(pattern);
    }
    out.setLength(LONG_DATA_CHARS);
    if (Character.isHighSurrogate(out.charAt(LONG_DATA_CHARS - 1))) {
      out.setCharAt(LONG_DATA_CHARS - 1, '.');
    }
    return out.toString();
  }

  private static ServerSentEvent data(String data) {
    return ServerSentEvent.of(data);
  }

  private static Scenario framing(String id, String title, Scenario.Script script) {
    return new Scenario(FRAMING, id, title, Set.of("message"), false, script);
  }

  private static Scenario fields(String id, String title, Scenario.Script script) {
    return new Scenario(FIELDS, id, title, Set.of("message"), false, script);
  }

  private static Scenario fields(
      String id, String title, Set<String> types, boolean needsOffers, Scenario.Script script) {
    return new Scenario(FIELDS, id, title, types, needsOffers, script);
  }

  private static Scenario selections(String id, String title, Scenario.Script script) {
    return new Scenario(SELECTIONS, id, title, Set.of("message"), false, script);
  }

  /** The selection entries a scenario's token may read: {@code <run>/a} and {@code <run>/c/*}. */
  private static List<String> granted(ScenarioRun run) {
    return List.of(run.topic("a"), run.topic("c") + "/*");
  }

  private static Scenario authorization(String id, String title, Scenario.Script script) {
    return new Scenario(AUTHORIZATION, id, title, Set.of("message"), false, script);
  }

  private static Scenario lifecycle(String id, String title, Scenario.Script script) {
    return new Scenario(LIFECYCLE, id, title, Set.of("message"), false, script);
  }
}
