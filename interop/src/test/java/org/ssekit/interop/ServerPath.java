package org.ssekit.interop;

import java.net.URI;
import java.time.Duration;
import org.ssekit.SseHub;

/**
 * One way ssekit serves event streams (a library adapter on a container), started in-process on an
 * ephemeral port of 127.0.0.1 (and a second one with TLS, HTTP/2 by ALPN) and serving the {@link
 * Endpoint}s, the {@link RequestLog} in front of them, and the browser's page at {@code
 * /page.html}.
 */
interface ServerPath extends AutoCloseable {
  /**
   * The keep-alive interval of every path's hub: short, so that the idle scenario stays short, and
   * under the clients' 2 s read timeouts.
   */
  Duration KEEP_ALIVE = Duration.ofSeconds(1);

  /** Returns a short name for test names, such as {@code jetty-servlet}. */
  String id();

  /**
   * Returns the heading of the path's matrix, naming the adapter and the container with versions.
   */
  String displayName();

  /** Starts the server and returns its base URI, such as {@code http://127.0.0.1:40123}. */
  URI start() throws Exception;

  /**
   * Returns the base URI of the started server's TLS connector, such as {@code
   * https://127.0.0.1:40124}: the same application, offering HTTP/2 and HTTP/1.1 by ALPN with the
   * {@link TlsCertificate}.
   */
  URI tlsBase();

  /** Returns the hub whose topics the path serves. */
  SseHub hub();

  /** Returns the log of the requests the path received. */
  RequestLog requests();

  /**
   * Returns the events offered to connections when they open, or null if the path's public API has
   * no way to send an event outside the topic's log (the scenarios that need one are then not
   * applicable).
   */
  OpeningOffers offers();

  /** Stops the server, then closes the hub. */
  @Override
  void close() throws Exception;

  /**
   * The bound on each subscriber's queue: above the default 1 MiB, because the 1 MiB scenario
   * publishes an event of 1.1 MB (UTF-8) and another right after it, which the default bound
   * answers with an overflow disconnect before the first is written.
   */
  long MAX_QUEUED_BYTES = 4L << 20;

  /**
   * The {@code Retry-After} of a {@code 503} refusal, and the least {@code retry:} of a refusal.
   */
  Duration RETRY_AFTER = Duration.ofSeconds(1);

  /**
   * The range of the jittered {@code retry:} that ends a stream whose authorization expired (the
   * hub's {@code shutdownRetry}, 1 to 10 s by default): short, so that the expiry scenario's
   * reconnect comes soon.
   */
  Duration EXPIRY_RETRY_MIN = Duration.ofMillis(200);

  /** The upper bound of {@link #EXPIRY_RETRY_MIN}'s range. */
  Duration EXPIRY_RETRY_MAX = Duration.ofMillis(400);

  /**
   * Builds the hub every path uses: the library's defaults but a short keep-alive, a larger queue,
   * a short {@code retryAfter}, a short retry after an expiry ({@link #EXPIRY_RETRY_MIN}) and a log
   * whose topics can be made unreachable ({@link TopicOutages}).
   */
  static SseHub newHub(String name) {
    return SseHub.builder()
        .name(name)
        .keepAlive(KEEP_ALIVE)
        .maxQueuedBytes(MAX_QUEUED_BYTES)
        .shutdownTimeout(Duration.ofSeconds(1))
        // A refused client is told to come back after 1-1.5 s (retry:) or 1 s (Retry-After).
        .retryAfter(RETRY_AFTER)
        .shutdownRetry(EXPIRY_RETRY_MIN, EXPIRY_RETRY_MAX)
        .eventLog(new TopicOutages())
        .build();
  }
}
