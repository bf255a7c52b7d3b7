package org.ssekit.interop;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.SelfSignedCertificate;

/**
 * The reference client: ssekit's {@link EventStreamParser} over the JDK {@link HttpClient}, with
 * the connection handling of the WHATWG {@code EventSource} processing model written out here:
 * {@code Accept} and {@code Last-Event-ID} headers, a non-200 status or a content type other than
 * {@code text/event-stream} fails the connection for good, the end of a stream reconnects after the
 * reconnection time (3 s until a {@code retry} field sets it, as in browsers). A token, given when
 * the connection is opened, goes in an {@code Authorization: Bearer} header of every request.
 *
 * <p>One blocking thread per connection; a reconnect waits on a latch that {@link
 * ClientConnection#close()} releases.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class ReferenceClient implements SseClient {
  private static final long DEFAULT_RECONNECT_MILLIS = 3000;
  private static final int READ_BUFFER_BYTES = 8192;

  private final ClientKind kind;
  private final HttpClient http;
  private final AtomicInteger threadCount = new AtomicInteger();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "reference-client-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  /** The HTTP/1.1 column. */
  ReferenceClient() {
    this.kind = ClientKind.REFERENCE;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The HTTP/2 column: the JDK client prefers HTTP/2 and trusts {@code trusted}. */
  ReferenceClient(SelfSignedCertificate trusted) {
    this.kind = ClientKind.REFERENCE_H2;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(trusted.clientContext())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public ClientKind kind() {
    return kind;
  }

  @Override
  public String version() {
    return System.getProperty("ssekit.interop.version", "this build");
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential) {
    // Like sse-client's builder, the reference takes the token once, when it is created.
    ReferenceConnection connection =
        new ReferenceConnection(uri, credential == null ? null : credential.token());
    threads.execute(connection::run);
    return connection;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** Returns true if {@code contentType}'s MIME type essence is {@code text/event-stream}. */
  static boolean isEventStream(String contentType) {
    int semicolon = contentType.indexOf(';');
    String essence = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return essence.trim().toLowerCase(Locale.ROOT).equals("text/event-stream");
  }

  private final class ReferenceConnection extends ClientConnection
      implements EventStreamParser.Handler {
    private final URI uri;
    private final String token; // or null: no Authorization header
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ReadyState state = ReadyState.CONNECTING;
    private volatile InputStream body;
    // Confined to the connection's thread.
    private String lastEventId = "";
    private long reconnectMillis = DEFAULT_RECONNECT_MILLIS;

    ReferenceConnection(URI uri, String token) {
      this.uri = uri;
      this.token = token;
    }

    void run() {
      try {
        while (!isClosed()) {
          if (!connectOnce()) {
            return;
          }
          if (closed.await(reconnectMillis, TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * Runs one connection; returns true to reconnect, false when the connection failed for good.
     */
    private boolean connectOnce() throws InterruptedException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .GET()
              .header("Accept", "text/event-stream")
              .header("Cache-Control", "no-cache");
      if (!lastEventId.isEmpty()) {
        request.header("Last-Event-ID", lastEventId);
      }
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (isClosed()) {
          return false;
        }
        record(Observation.error("network error, reconnecting: " + e));
        return true;
      }
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      if (response.statusCode() != 200 || !isEventStream(contentType)) {
        closeQuietly(response.body());
        state = ReadyState.CLOSED;
        record(
            Observation.error(
                "failed: status " + response.statusCode() + ", content type " + contentType));
        return false;
      }
      body = response.body();
      if (isClosed()) {
        closeQuietly(body);
        return false;
      }
      state = ReadyState.OPEN;
      record(Observation.open());
      EventStreamParser parser = new EventStreamParser(this);
      if (!lastEventId.isEmpty()) {
        // The parser starts every stream with an empty last event id; the EventSource keeps it
        // across
        // connections. An id field with a blank line sets it without dispatching anything.
        byte[] seed = ("id:" + lastEventId + "\n\n").getBytes(StandardCharsets.UTF_8);
        parser.feed(seed, 0, seed.length);
      }
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      try (InputStream in = body) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          parser.feed(buffer, 0, n);
        }
      } catch (IOException e) {
        // The stream ended abnormally: reconnect as after a normal end.
      }
      lastEventId = parser.lastEventId();
      parser.close();
      if (isClosed()) {
        return false;
      }
      state = ReadyState.CONNECTING;
      record(Observation.error("stream ended, reconnecting in " + reconnectMillis + " ms"));
      return true;
    }

    @Override
    public void onEvent(ReceivedEvent event) {
      record(Observation.event(event.type(), event.data(), event.lastEventId()));
    }

    @Override
    public void onRetry(long retryMillis) {
      reconnectMillis = retryMillis;
    }

    @Override
    ReadyState readyState() {
      return state;
    }

    @Override
    public void close() {
      closed.countDown();
      state = ReadyState.CLOSED;
      InputStream current = body;
      if (current != null) {
        closeQuietly(current);
      }
    }

    private boolean isClosed() {
      return closed.getCount() == 0;
    }

    private void closeQuietly(InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Closing a stream we abandon: nothing to do.
      }
    }
  }
}
