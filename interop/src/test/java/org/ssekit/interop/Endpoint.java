package org.ssekit.interop;

/**
 * The endpoints every server path serves, each followed by the run's topic: {@code /sse/<topic>}.
 */
enum Endpoint {
  /** The topic's event stream, served through the library's public API. */
  STREAM("/sse/"),
  /**
   * Refused with {@code 403}: {@code Admission.refuse} on the servlet paths, a plain response on
   * JAX-RS.
   */
  REFUSED("/refuse/"),
  /** A {@code 200} with content type {@code text/plain} and event-stream-like text (plain code). */
  WRONG_CONTENT_TYPE("/plain/"),
  /**
   * The topic's event stream, like {@link #STREAM}, but passing refusals are answered {@code 503}
   * with {@code Retry-After} ({@code RefusalAnswer.SERVICE_UNAVAILABLE}) instead of a {@code
   * retry:}.
   */
  UNAVAILABLE("/unavailable/"),
  /**
   * One stream of a selection under the topic: the query names its topics and selectors ({@link
   * SelectionQuery}), as {@code /select/<topic>?topic=a&topic=b&under=c}. Served through {@code
   * Admission.accept(Selection)} on the servlet paths and {@code @SseTopic} on JAX-RS.
   */
  SELECTION("/select/"),
  /**
   * A stream of a selection as {@link #SELECTION}, {@code /auth/<topic>?topic=a&under=c}, protected
   * by the {@link InteropTokens#authorizer() JwtAuthorizer} (a token in an {@code Authorization:
   * Bearer} header or the cookie {@code ssekit_token}): {@code ServletStreams.Builder.authorizer}
   * on the servlet paths, {@code SseHubFeature.Builder.authorizer} on JAX-RS.
   */
  AUTHORIZED("/auth/");

  private final String prefix;

  Endpoint(String prefix) {
    this.prefix = prefix;
  }

  /** Returns the path of this endpoint for {@code topic}. */
  String path(String topic) {
    return prefix + topic;
  }

  /** Returns the servlet mapping of this endpoint, such as {@code /sse/*}. */
  String pathSpec() {
    return prefix + "*";
  }

  /** Returns the topic that a request path names, or null if it is no scenario endpoint. */
  static String topicOf(String requestUri) {
    for (Endpoint endpoint : values()) {
      if (requestUri.startsWith(endpoint.prefix)
          && requestUri.length() > endpoint.prefix.length()) {
        return requestUri.substring(endpoint.prefix.length());
      }
    }
    return null;
  }
}
