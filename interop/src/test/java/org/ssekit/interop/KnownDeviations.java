package org.ssekit.interop;

import static org.ssekit.interop.ClientKind.EVENTSOURCE_NPM;
import static org.ssekit.interop.ClientKind.JERSEY;
import static org.ssekit.interop.ClientKind.OKHTTP_EVENTSOURCE;

import java.util.List;
import java.util.Optional;

/**
 * The known client deviations; see {@link KnownDeviation}. Each was reproduced on every server path
 * and traced to the client's source at the version the build uses; the summary quotes what the
 * WHATWG standard requires instead. None is worked around on the server.
 */
final class KnownDeviations {
  private static final String JERSEY_SSE =
      "https://github.com/eclipse-ee4j/jersey/blob/4.0.2/"
          + "media/sse/src/main/java/org/glassfish/jersey/media/sse/";
  private static final String OKHTTP_EVENTSOURCE_SRC =
      "https://github.com/launchdarkly/okhttp-eventsource/"
          + "blob/4.3.0/src/main/java/com/launchdarkly/eventsource/";
  private static final String CLOSED_READY_STATE = "readyState at the end: expected CLOSED but was";

  private static final List<KnownDeviation> ALL =
      List.of(
          new KnownDeviation(
              "D1",
              JERSEY,
              "data-space-colon",
              List.of(
                  "but got event(type=\"message\", data=\"one leading space\"",
                  "but got event(type=\"message\", data=\"two leading spaces\""),
              "Removes every space after a field's colon, so data \" x\" arrives as \"x\"; the standard removes one"
                  + " space (\"If value starts with a U+0020 SPACE character, remove it from value\").",
              "`InboundEventReader.readFrom` skips spaces with `do { b = read(); } while (b == ' ')`"
                  + " (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "InboundEventReader.java"),
          new KnownDeviation(
              "D2",
              JERSEY,
              "event-types",
              List.of("but got event(type=\"\", data=\"empty type\""),
              "An empty `event:` field gives the event the name \"\"; the standard dispatches it as `message` (the"
                  + " type is set only from a non-empty event type buffer).",
              "`InboundEventReader.processField` sets `name(value)` for any value (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "InboundEventReader.java"),
          new KnownDeviation(
              "D3",
              JERSEY,
              "topic-closed-204",
              List.of(
                  "reconnected (request 3) after",
                  CLOSED_READY_STATE,
                  "requests: expected 2 request(s)"),
              "Reconnects after a `204 No Content` (every reconnection time, indefinitely); the standard fails the"
                  + " connection on any status but 200, and 204 is how a server tells clients to stop. Reported"
                  + " upstream as jersey#6119.",
              "`EventProcessor.run` reads no `EventInput` from a 204 and schedules a reconnect for a null input"
                  + " (jersey-media-sse 4.0.2)",
              "https://github.com/eclipse-ee4j/jersey/issues/6119"),
          new KnownDeviation(
              "D4",
              JERSEY,
              "keep-alive",
              List.of(
                  "data=\"\", lastEventId=(not reported))",
                  "(further event differences not listed",
                  "unexpected: event(type=\"message\", data=\"after the idle period\""),
              "Delivers each comment-only block (a keep-alive `: keep-alive` and its blank line) as an event with"
                  + " empty data; the standard dispatches nothing when the data buffer is empty.",
              "`EventProcessor.onEvent` notifies listeners of every `InboundEvent`, including one without data lines"
                  + " (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "internal/EventProcessor.java"),
          new KnownDeviation(
              "D5",
              OKHTTP_EVENTSOURCE,
              "event-types",
              List.of("but got event(type=\"\", data=\"empty type\""),
              "An empty `event:` field gives the event the name \"\"; the standard dispatches it as `message`.",
              "`EventParser` sets `eventName = fieldValue`, and `MessageEvent` replaces only a null name with"
                  + " `message` (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "EventParser.java"),
          new KnownDeviation(
              "D6",
              OKHTTP_EVENTSOURCE,
              "id-persists",
              List.of(
                  "but got event(type=\"ssekit-gap\", data=\"unknown-last-event-id\", lastEventId=\"\")"),
              "After a reconnect, an event without an `id` reports no last event id, although the client sent the"
                  + " right `Last-Event-ID`; the standard keeps the last event id across connections.",
              "`EventSource` creates a new `EventParser`, whose `lastEventId` starts null, for every connection"
                  + " (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "EventSource.java"),
          new KnownDeviation(
              "D7",
              OKHTTP_EVENTSOURCE,
              "retry",
              List.of("sooner than the retry of " + Scenarios.TESTED_RETRY.toMillis() + " ms"),
              "Reconnects up to half the `retry:` time early: the default jitter subtracts a random part of the"
                  + " delay; the standard waits the reconnection time (and optionally more).",
              "`DefaultRetryDelayStrategy.apply` subtracts `random.nextInt(delay * 0.5)` by default"
                  + " (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "DefaultRetryDelayStrategy.java"),
          new KnownDeviation(
              "D8",
              OKHTTP_EVENTSOURCE,
              "topic-closed-204",
              List.of(
                  "reconnected (request 3) after",
                  CLOSED_READY_STATE,
                  "requests: expected 2 request(s)"),
              "Treats `204 No Content` as a stream that ended and reconnects; the standard fails the connection.",
              "`HttpConnectStrategy` accepts any 2xx (`response.isSuccessful()`) (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "HttpConnectStrategy.java"),
          new KnownDeviation(
              "D9",
              OKHTTP_EVENTSOURCE,
              "status-403",
              List.of(
                  "reconnected (request 2) after",
                  CLOSED_READY_STATE,
                  "requests: expected 1 request(s)"),
              "With the default settings, `BackgroundEventSource` retries after a 403 (after any HTTP error); the"
                  + " standard fails the connection and does not reconnect. A `ConnectionErrorHandler` returning"
                  + " `SHUTDOWN` is the library's opt-in.",
              "`BackgroundEventSource.pollAndDispatchEvent` keeps reading (and so reconnecting) unless a"
                  + " `ConnectionErrorHandler` says `SHUTDOWN`; none is set by default (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "background/BackgroundEventSource.java"),
          new KnownDeviation(
              "D10",
              OKHTTP_EVENTSOURCE,
              "wrong-content-type",
              List.of(
                  "reconnected (request 2) after",
                  CLOSED_READY_STATE,
                  "requests: expected 1 request(s)",
                  "unexpected: event(type=\"message\", data=\"not an event stream\""),
              "Parses a `text/plain` response as an event stream (dispatching its text) and reconnects; the standard"
                  + " fails the connection unless the content type is `text/event-stream`.",
              "`HttpConnectStrategy` checks the status only, never `Content-Type` (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "HttpConnectStrategy.java"),
          new KnownDeviation(
              "D11",
              EVENTSOURCE_NPM,
              "id-persists",
              List.of(
                  "but got event(type=\"message\", data=\"without an id\", lastEventId=\"\")",
                  "but got event(type=\"ssekit-gap\", data=\"unknown-last-event-id\", lastEventId=\"\")"),
              "A `MessageEvent` without an `id` field has `lastEventId` \"\" instead of the last id seen (the client"
                  + " still sends the right `Last-Event-ID`); the standard sets every event's `lastEventId` from the"
                  + " last event id string. The fix was merged upstream after 4.1.1, the last 4.x (5.x needs"
                  + " Node.js 22).",
              "`EventSource#onEvent` dispatches `lastEventId: event.id || ''`"
                  + " (eventsource 4.1.1, `src/EventSource.ts`)",
              "https://github.com/EventSource/eventsource/pull/358"),
          new KnownDeviation(
              "D12",
              JERSEY,
              "refused-retry",
              List.of(
                  "data=\"\", lastEventId=(not reported))",
                  "but got event(type=\"message\", data=\"published during the outage\"",
                  "unexpected: event(type=\"message\", data=\"live again\"",
                  "(further event differences not listed"),
              "Delivers a block with a `retry:` field and no data (the whole body of a refused request) as an"
                  + " event with empty data; the standard dispatches nothing when the data buffer is empty. The"
                  + " client does come back after the `retry:` with its `Last-Event-ID` and resumes exactly.",
              "`EventProcessor.onEvent` notifies listeners of every `InboundEvent`, including one without data lines"
                  + " (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "internal/EventProcessor.java"),
          new KnownDeviation(
              "D13",
              JERSEY,
              "refused-503",
              List.of(
                  "reconnected (request 2) after",
                  CLOSED_READY_STATE,
                  "requests: expected 1 request(s)"),
              "Honours `503 Service Unavailable` with `Retry-After`: reconnects after that delay (the JAX-RS"
                  + " `SseEventSource` contract); the standard fails the connection on any status but 200.",
              "`EventProcessor.run` catches `ServiceUnavailableException` and, when `hasRetryAfter()`, schedules"
                  + " the reconnect at `getRetryTime(...)` (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "internal/EventProcessor.java"),
          new KnownDeviation(
              "D14",
              OKHTTP_EVENTSOURCE,
              "refused-503",
              List.of(
                  "reconnected (request 2) after",
                  CLOSED_READY_STATE,
                  "requests: expected 1 request(s)"),
              "Retries after a `503` as after any HTTP error, with its own backoff (it never reads"
                  + " `Retry-After`); the standard fails the connection.",
              "`BackgroundEventSource.pollAndDispatchEvent` keeps reconnecting unless a `ConnectionErrorHandler`"
                  + " says `SHUTDOWN`; no class of the library reads `Retry-After` (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "background/BackgroundEventSource.java"),
          new KnownDeviation(
              "D15",
              OKHTTP_EVENTSOURCE,
              "selection-400",
              List.of(
                  "reconnected (request 2) after",
                  CLOSED_READY_STATE,
                  "requests: expected 1 request(s)"),
              "Retries after a `400` as after any HTTP error (D9 for a 403); the standard fails the connection"
                  + " on any status but 200 and does not reconnect.",
              "`BackgroundEventSource.pollAndDispatchEvent` keeps reading (and so reconnecting) unless a"
                  + " `ConnectionErrorHandler` says `SHUTDOWN`; none is set by default (okhttp-eventsource 4.3.0)",
              OKHTTP_EVENTSOURCE_SRC + "background/BackgroundEventSource.java"),
          okHttpRetriesAfter("D16", "auth-no-token", "a `401` (no token; D9 for a 403)"),
          okHttpRetriesAfter(
              "D17", "auth-bad-token", "a `401` (a token signed with another key; D9 for a 403)"),
          okHttpRetriesAfter(
              "D18", "auth-forbidden", "a `403` (a topic the token does not cover; as D9)"),
          new KnownDeviation(
              "D19",
              JERSEY,
              "auth-expiry",
              List.of(
                  "data=\"\", lastEventId=(not reported))",
                  "but got event(type=\"message\", data=\"c/x 1, missed\"",
                  "but got event(type=\"message\", data=\"a 2, missed\"",
                  "but got event(type=\"message\", data=\"a 3, live\"",
                  "unexpected: event(type=\"message\", data=\"a 2, missed\"",
                  "unexpected: event(type=\"message\", data=\"a 3, live\"",
                  "(further event differences not listed"),
              "Delivers the block that ends an expired stream (a `retry:` field and no data) and each keep-alive"
                  + " comment before it as events with empty data (D4, D12); the standard dispatches nothing when"
                  + " the data buffer is empty. The client does come back after the `retry:` with its"
                  + " `Last-Event-ID` and the renewed token (its `ClientRequestFilter` runs for every request) and"
                  + " resumes exactly.",
              "`EventProcessor.onEvent` notifies listeners of every `InboundEvent`, including one without data lines"
                  + " (jersey-media-sse 4.0.2)",
              JERSEY_SSE + "internal/EventProcessor.java"));

  private KnownDeviations() {}

  /**
   * okhttp-eventsource's retry after an HTTP error (D9) in a scenario where the server refuses the
   * request: the symptoms are a reconnect, or (when its backoff is longer than the window) a client
   * still CONNECTING at the end.
   */
  private static KnownDeviation okHttpRetriesAfter(String key, String scenario, String refusal) {
    return new KnownDeviation(
        key,
        OKHTTP_EVENTSOURCE,
        scenario,
        List.of(
            "reconnected (request 2) after", CLOSED_READY_STATE, "requests: expected 1 request(s)"),
        "Retries after "
            + refusal
            + " as after any HTTP error, with its own backoff, so a refused client keeps knocking; the"
            + " standard fails the connection on any status but 200 and does not reconnect.",
        "`BackgroundEventSource.pollAndDispatchEvent` keeps reading (and so reconnecting) unless a"
            + " `ConnectionErrorHandler` says `SHUTDOWN`; none is set by default, and `HttpConnectStrategy`"
            + " treats every non-2xx status alike (okhttp-eventsource 4.3.0)",
        OKHTTP_EVENTSOURCE_SRC + "background/BackgroundEventSource.java");
  }

  /** Returns every known deviation, in footnote order. */
  static List<KnownDeviation> all() {
    return ALL;
  }

  /** Returns the deviation of {@code client} in {@code scenario}, if one is known. */
  static Optional<KnownDeviation> find(ClientKind client, String scenario) {
    return ALL.stream()
        .filter(d -> d.client() == client && d.scenario().equals(scenario))
        .findFirst();
  }
}
