package org.ssekit.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * An event-stream client on the JDK {@link HttpClient} (few threads for many streams; HTTP/2
 * capable), parsing with the core parser exactly as a browser would. Events and {@code retry:}
 * values are queued and taken with a timeout; {@link #close()} cancels the body, which drops the
 * connection.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class HttpSseClient implements AutoCloseable {
  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> retries = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final CompletableFuture<HttpResponse<Void>> response;
  private volatile Flow.Subscription subscription;

  private HttpSseClient(HttpClient client, HttpRequest request) {
    this.response = client.sendAsync(request, info -> new Subscriber());
  }

  /** Opens a stream of {@code uri}. */
  public static HttpSseClient get(HttpClient client, URI uri) {
    return open(client, uri, null);
  }

  /** Opens a stream with {@code request} as it is. */
  public static HttpSseClient get(HttpClient client, HttpRequest request) {
    return new HttpSseClient(client, request);
  }

  /**
   * Opens a stream of {@code uri}, sending {@code lastEventId} as {@code Last-Event-ID} unless
   * null.
   */
  public static HttpSseClient open(HttpClient client, URI uri, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new HttpSseClient(client, request.build());
  }

  /** Waits up to {@code timeout} for the status and headers. */
  public HttpResponse<Void> awaitHeaders(Duration timeout) throws Exception {
    return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the next event, waiting up to {@code timeout}; null if none came. */
  public ReceivedEvent poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the events received so far and not yet taken. */
  public List<ReceivedEvent> drain() {
    List<ReceivedEvent> taken = new ArrayList<>();
    events.drainTo(taken);
    return taken;
  }

  /**
   * Takes the next {@code retry:} value in milliseconds, waiting up to {@code timeout}; null if
   * none came.
   */
  public Long pollRetry(Duration timeout) throws InterruptedException {
    return retries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Completes when the server ends the stream, exceptionally when it fails. */
  public CompletableFuture<Void> ended() {
    return ended;
  }

  /** Cancels the body, which drops the connection. */
  @Override
  public void close() {
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
    response.cancel(true);
  }

  private final class Subscriber implements HttpResponse.BodySubscriber<Void> {
    private final EventStreamParser parser =
        new EventStreamParser(
            new EventStreamParser.Handler() {
              @Override
              public void onEvent(ReceivedEvent event) {
                events.add(event);
              }

              @Override
              public void onRetry(long retryMillis) {
                retries.add(retryMillis);
              }
            });

    @Override
    public CompletionStage<Void> getBody() {
      // Completes at once: the response is handed over with its headers while the body streams.
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        parser.feed(buffer);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      ended.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      parser.close();
      ended.complete(null);
    }
  }
}
