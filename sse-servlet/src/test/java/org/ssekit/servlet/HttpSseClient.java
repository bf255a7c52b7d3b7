package org.ssekit.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ssekit.EventStreamParser;
import org.ssekit.ReceivedEvent;

/**
 * An event-stream client on the JDK {@link HttpClient} (few threads for many streams; HTTP/2 capable),
 * parsing with the core parser. {@link #close()} cancels the body, which drops the connection.
 */
final class HttpSseClient implements AutoCloseable {
  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final CompletableFuture<HttpResponse<Void>> response;
  private volatile Flow.Subscription subscription;

  private HttpSseClient(HttpClient client, HttpRequest request) {
    this.response = client.sendAsync(request, info -> new Subscriber());
  }

  static HttpSseClient get(HttpClient client, URI uri) {
    return new HttpSseClient(client, HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build());
  }

  static HttpSseClient get(HttpClient client, HttpRequest request) {
    return new HttpSseClient(client, request);
  }

  HttpResponse<Void> awaitHeaders(Duration timeout) throws Exception {
    return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  ReceivedEvent poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public void close() {
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
    response.cancel(true);
  }

  private final class Subscriber implements HttpResponse.BodySubscriber<Void> {
    private final EventStreamParser parser = new EventStreamParser(events::add);

    @Override
    public CompletionStage<Void> getBody() {
      // Complete at once: the response is handed over with its headers, the body keeps streaming.
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
      ended.complete(null);
    }
  }
}
