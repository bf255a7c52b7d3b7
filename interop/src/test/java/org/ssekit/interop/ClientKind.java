package org.ssekit.interop;

/**
 * The SSE clients of the matrix, in column order. All but {@link #REFERENCE} are independent of
 * ssekit's code; each is used with its defaults, except a 2 s read timeout where the client has one
 * (so that the keep-alive scenario means something) and as noted.
 */
enum ClientKind {
  /**
   * Headless Chromium's {@code EventSource}, driven by Selenium through a page served by the server
   * under test (same origin).
   */
  CHROMIUM("chromium", "Chromium EventSource", "https://chromium.googlesource.com/chromium/src"),
  /**
   * Jersey's JAX-RS {@code SseEventSource} ({@code jersey-media-sse}), default 500 ms reconnect
   * delay. Its {@code InboundSseEvent.getId()} is the event's own {@code id} field (the JAX-RS
   * contract), not the persisted last event id; when an event has none the column records "not
   * reported" and compares nothing, while the {@code Last-Event-ID} it sends on reconnect is still
   * checked.
   */
  JERSEY("jersey", "Jersey SseEventSource", "https://github.com/eclipse-ee4j/jersey"),
  /**
   * LaunchDarkly's {@code okhttp-eventsource}, through its push API {@code BackgroundEventSource}.
   */
  OKHTTP_EVENTSOURCE(
      "okhttp-eventsource",
      "okhttp-eventsource",
      "https://github.com/launchdarkly/okhttp-eventsource"),
  /** undici's {@code EventSource} on Node.js. */
  UNDICI("undici", "undici EventSource", "https://github.com/nodejs/undici"),
  /** The npm {@code eventsource} package on Node.js. */
  EVENTSOURCE_NPM("eventsource", "eventsource (npm)", "https://github.com/EventSource/eventsource"),
  /**
   * ssekit's {@code EventStreamParser} over the JDK {@code HttpClient}: the reference, not
   * independent.
   */
  REFERENCE("reference", "ssekit parser (reference)", null);

  private final String id;
  private final String displayName;
  private final String homepage;

  ClientKind(String id, String displayName, String homepage) {
    this.id = id;
    this.displayName = displayName;
    this.homepage = homepage;
  }

  /** Returns a short name for test names, such as {@code okhttp-eventsource}. */
  String id() {
    return id;
  }

  /** Returns the column heading. */
  String displayName() {
    return displayName;
  }

  /** Returns the client's source repository, or null for the reference. */
  String homepage() {
    return homepage;
  }
}
