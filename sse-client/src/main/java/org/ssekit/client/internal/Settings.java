package org.ssekit.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.ssekit.client.ReconnectPolicy;

/**
 * The immutable settings of one source, a snapshot of its builder.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param uri the stream's URI
 * @param headers the extra request headers, in order
 * @param httpClient the client, or null for the shared default
 * @param callbackExecutor the executor for listener calls, or null to call on the causing thread
 * @param responseTimeout the time allowed until response headers
 * @param readTimeout a fixed read timeout, or null for the adaptive one
 * @param initialReadTimeout the adaptive read timeout before the keep-alive rhythm is known
 * @param reconnectPolicy the reconnection policy
 * @param maxLineChars the parser's limit
 * @param lastEventId the Last-Event-ID of the first connection, or ""
 */
public record Settings(
    URI uri,
    List<Map.Entry<String, String>> headers,
    HttpClient httpClient,
    Executor callbackExecutor,
    Duration responseTimeout,
    Duration readTimeout,
    Duration initialReadTimeout,
    ReconnectPolicy reconnectPolicy,
    int maxLineChars,
    String lastEventId) {

  /** Returns the request of a connection that sends {@code lastEventId}, unless it is empty. */
  HttpRequest request(String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    for (Map.Entry<String, String> header : headers) {
      request.header(header.getKey(), header.getValue());
    }
    request.setHeader("Accept", "text/event-stream");
    request.setHeader("Cache-Control", "no-cache");
    if (!lastEventId.isEmpty()) {
      request.setHeader("Last-Event-ID", lastEventId);
    }
    return request.build();
  }

  /** Returns the client to use: the configured one or the shared default. */
  HttpClient client() {
    return httpClient != null ? httpClient : DefaultClient.INSTANCE;
  }

  /** Holds the shared default client, made on first use. */
  private static final class DefaultClient {
    /**
     * One client for every source without its own, so that sources share its selector thread. It
     * follows redirects as a browser does.
     */
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }
}
