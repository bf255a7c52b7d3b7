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
   * ssekit's own {@code EventSource} ({@code sse-client}): not independent, and allowed no
   * deviation. It documents one extension beyond the standard, checked as such: see {@link
   * #honoursRetryAfter()}.
   */
  SSEKIT_CLIENT("ssekit-client", "ssekit EventSource (sse-client)", null, true),
  /**
   * ssekit's {@code EventStreamParser} over the JDK {@code HttpClient}: the reference, not
   * independent.
   */
  REFERENCE("reference", "ssekit parser (reference)", null, false);

  private final String id;
  private final String displayName;
  private final String homepage;
  private final boolean honoursRetryAfter;

  ClientKind(String id, String displayName, String homepage, boolean honoursRetryAfter) {
    this.id = id;
    this.displayName = displayName;
    this.homepage = homepage;
    this.honoursRetryAfter = honoursRetryAfter;
  }

  ClientKind(String id, String displayName, String homepage) {
    this(id, displayName, homepage, false);
  }

  /**
   * Returns true if the client documents, as an extension beyond the standard (which fails the
   * connection on any status but 200), that it waits for the {@code Retry-After} of a {@code 503}
   * and then reconnects. The {@code refused-503} scenario then checks that promise exactly (no
   * sooner than {@code Retry-After}, and the stream works once the server is back) instead of the
   * standard's failure. Clients that retry without promising it (Jersey, okhttp-eventsource) are
   * measured against the standard, and their retries are known deviations.
   */
  boolean honoursRetryAfter() {
    return honoursRetryAfter;
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
