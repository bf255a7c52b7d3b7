package org.ssekit.samples;

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
import org.ssekit.EventStreamParser;
import org.ssekit.ReceivedEvent;

/**
 * An event-stream client on the JDK {@link HttpClient}, parsing with the core parser exactly as a
 * browser would. Events and {@code retry:} values are queued and read with a timeout.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SseClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> retries = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final CompletableFuture<HttpResponse<Void>> response;
  private volatile Flow.Subscription subscription;

  private SseClient(HttpClient client, HttpRequest request) {
    this.response = client.sendAsync(request, info -> new Subscriber());
  }

  /** Opens a stream of {@code uri}, sending {@code lastEventId} as {@code Last-Event-ID} unless null. */
  static SseClient open(HttpClient client, URI uri, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(client, request.build());
  }

  /** Waits for the status and headers. */
  HttpResponse<Void> awaitResponse() throws Exception {
    return response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the next event, or null after {@link #WAIT}. */
  ReceivedEvent next() throws InterruptedException {
    return events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the events received so far and not yet taken. */
  List<ReceivedEvent> drain() {
    List<ReceivedEvent> taken = new ArrayList<>();
    events.drainTo(taken);
    return taken;
  }

  /** Returns the next {@code retry:} value in milliseconds, or null after {@link #WAIT}. */
  Long nextRetry() throws InterruptedException {
    return retries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Completes when the server ends the stream. */
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
    private final EventStreamParser parser = new EventStreamParser(new EventStreamParser.Handler() {
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
