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
  CHROMIUM(
      "chromium",
      "Chromium EventSource",
      "https://chromium.googlesource.com/chromium/src",
      Credential.Support.COOKIE_PER_REQUEST),
  /**
   * Jersey's JAX-RS {@code SseEventSource} ({@code jersey-media-sse}), default 500 ms reconnect
   * delay. Its {@code InboundSseEvent.getId()} is the event's own {@code id} field (the JAX-RS
   * contract), not the persisted last event id; when an event has none the column records "not
   * reported" and compares nothing, while the {@code Last-Event-ID} it sends on reconnect is still
   * checked.
   */
  JERSEY(
      "jersey",
      "Jersey SseEventSource",
      "https://github.com/eclipse-ee4j/jersey",
      Credential.Support.HEADER_PER_REQUEST),
  /**
   * LaunchDarkly's {@code okhttp-eventsource}, through its push API {@code BackgroundEventSource}.
   */
  OKHTTP_EVENTSOURCE(
      "okhttp-eventsource",
      "okhttp-eventsource",
      "https://github.com/launchdarkly/okhttp-eventsource",
      Credential.Support.HEADER_PER_REQUEST),
  /** undici's {@code EventSource} on Node.js. */
  UNDICI(
      "undici",
      "undici EventSource",
      "https://github.com/nodejs/undici",
      Credential.Support.HEADER_PER_REQUEST),
  /** The npm {@code eventsource} package on Node.js. */
  EVENTSOURCE_NPM(
      "eventsource",
      "eventsource (npm)",
      "https://github.com/EventSource/eventsource",
      Credential.Support.HEADER_PER_REQUEST),
  /**
   * ssekit's own {@code EventSource} ({@code sse-client}): not independent, and allowed no
   * deviation. It documents one extension beyond the standard, checked as such: see {@link
   * #honoursRetryAfter()}.
   */
  SSEKIT_CLIENT(
      "ssekit-client",
      "ssekit EventSource (sse-client)",
      null,
      true,
      Credential.Support.FIXED_HEADER),
  /**
   * ssekit's {@code EventStreamParser} over the JDK {@code HttpClient}: the reference, not
   * independent.
   */
  REFERENCE("reference", "ssekit parser (reference)", null, false, Credential.Support.FIXED_HEADER),

  // ---- The HTTP/2 column: the clients that speak h2, over TLS to the path's TLS connector, which
  // offers h2 and HTTP/1.1 by ALPN; every request must arrive as HTTP/2.0 (see Scenarios.OVER_H2).

  /**
   * {@link #CHROMIUM} on a page of the path's TLS origin, the self-signed certificate accepted with
   * {@code --ignore-certificate-errors}.
   */
  CHROMIUM_H2(CHROMIUM),
  /** {@link #OKHTTP_EVENTSOURCE} with an OkHttp client that trusts the certificate. */
  OKHTTP_EVENTSOURCE_H2(OKHTTP_EVENTSOURCE),
  /** {@link #SSEKIT_CLIENT} on a JDK {@code HttpClient} (HTTP/2, trusting the certificate). */
  SSEKIT_CLIENT_H2(SSEKIT_CLIENT),
  /** {@link #REFERENCE} on a JDK {@code HttpClient} (HTTP/2, trusting the certificate). */
  REFERENCE_H2(REFERENCE);

  private final String id;
  private final String displayName;
  private final String homepage;
  private final boolean honoursRetryAfter;
  private final Credential.Support credentials;
  private final ClientKind overHttp11;

  ClientKind(
      String id,
      String displayName,
      String homepage,
      boolean honoursRetryAfter,
      Credential.Support credentials) {
    this.id = id;
    this.displayName = displayName;
    this.homepage = homepage;
    this.honoursRetryAfter = honoursRetryAfter;
    this.credentials = credentials;
    this.overHttp11 = null;
  }

  ClientKind(String id, String displayName, String homepage, Credential.Support credentials) {
    this(id, displayName, homepage, false, credentials);
  }

  /** The same client over HTTP/2 with TLS. */
  ClientKind(ClientKind overHttp11) {
    this.id = overHttp11.id + "-h2";
    this.displayName = overHttp11.displayName + " over h2";
    this.homepage = overHttp11.homepage;
    this.honoursRetryAfter = overHttp11.honoursRetryAfter;
    this.credentials = overHttp11.credentials;
    this.overHttp11 = overHttp11;
  }

  /** Returns true if this column runs over HTTP/2 (TLS), false for HTTP/1.1 (plain). */
  boolean overH2() {
    return overHttp11 != null;
  }

  /**
   * Returns the client itself, whatever the protocol: the one whose {@link KnownDeviations} apply
   * (a deviation is the client's code, not the protocol's) and whose version the matrix lists.
   */
  ClientKind client() {
    return overHttp11 == null ? this : overHttp11;
  }

  /**
   * Returns true if this column runs {@code scenario}: every scenario over HTTP/1.1, the subset
   * {@link Scenarios#OVER_H2} over HTTP/2.
   */
  boolean runs(Scenario scenario) {
    return !overH2() || Scenarios.OVER_H2.contains(scenario.id());
  }

  /** Returns the protocol every request of this column must arrive with, as servlets report it. */
  String protocol() {
    return overH2() ? "HTTP/2.0" : "HTTP/1.1";
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

  /**
   * Returns how the client's public API lets an application send a token (every client of the
   * matrix can): Chromium's {@code EventSource} sends the page origin's cookies, the others take an
   * {@code Authorization} header, either once (sse-client's {@code Builder.header}, the reference)
   * or from a hook run for every request (Jersey's {@code ClientRequestFilter},
   * okhttp-eventsource's {@code requestTransformer}, an undici dispatcher with an interceptor, the
   * npm package's {@code fetch} option), which is how a renewed token reaches the reconnect.
   */
  Credential.Support credentials() {
    return credentials;
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
