package org.ssekit.client.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.ssekit.client.EventSourceException;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * One connection attempt of a {@link RealEventSource}, and, once the response is an event stream,
 * the subscriber of its body: parses each chunk and hands its events to the source's delivery, and
 * asks for the next chunk only when they have been delivered.
 *
 * <p>The parser is new for each connection (so that a byte order mark at the start of each response
 * is skipped), but the last event id belongs to the source and persists across connections, as in a
 * browser: each parser starts from the source's last event id.
 *
 * <p><b>Thread safety:</b> the body subscriber methods are called serially by the HTTP client (the
 * parser and the chunk list are confined to them); {@link #cancel()} and the volatile fields may be
 * used from any thread.
 */
final class Connection implements HttpResponse.BodySubscriber<Void> {
  /** A value of {@link #awaitingSinceNanos} meaning no chunk has been asked for. */
  static final long NOT_AWAITING = Long.MIN_VALUE;

  private final RealEventSource source;
  private final EventStreamParser parser;
  private final CompletableFuture<Void> body = new CompletableFuture<>();

  // Confined to the body subscriber's serial calls.
  private final List<Object> chunk = new ArrayList<>();

  /** Set once the body is subscribed. */
  private volatile Flow.Subscription subscription;

  /** The request in flight; cancelled with the connection. */
  private volatile CompletableFuture<?> exchange;

  /** Once true, never false again: the connection is being torn down. */
  private volatile boolean cancelled;

  /** When the last chunk was asked for and has not arrived, or NOT_AWAITING. */
  private volatile long awaitingSinceNanos = NOT_AWAITING;

  Connection(RealEventSource source, int maxLineChars, String lastEventId) {
    this.source = source;
    this.parser = new EventStreamParser(new ChunkHandler(), maxLineChars, lastEventId);
  }

  /** Remembers the request in flight, so that {@link #cancel()} cancels it too. */
  void exchange(CompletableFuture<?> exchange) {
    this.exchange = exchange;
    if (cancelled) {
      exchange.cancel(true);
    }
  }

  /** Ends the connection at once: cancels the body subscription or the request. Idempotent. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    CompletableFuture<?> e = exchange;
    if (e != null) {
      e.cancel(true);
    }
  }

  long awaitingSinceNanos() {
    return awaitingSinceNanos;
  }

  /** Asks the HTTP client for the next chunk of the body. */
  void requestNext() {
    Flow.Subscription s = subscription;
    if (cancelled || s == null) {
      return;
    }
    awaitingSinceNanos = System.nanoTime();
    s.request(1);
  }

  /**
   * Decides on the response headers: this subscriber for a stream, else one that cancels the body,
   * after telling the source what the response means.
   */
  HttpResponse.BodySubscriber<Void> responded(HttpResponse.ResponseInfo info) {
    ResponseCheck check = ResponseCheck.of(info.statusCode(), info.headers(), Instant.now());
    switch (check.kind()) {
      case STREAM:
        return this;
      case STOP:
        source.failed(this, null);
        break;
      case RETRY_AFTER:
        source.lost(this, check.cause(), check.retryAfterMillis());
        break;
      default:
        source.failed(this, check.cause());
        break;
    }
    return new Refusal();
  }

  @Override
  public CompletionStage<Void> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    body.complete(null);
    if (cancelled) {
      subscription.cancel();
      return;
    }
    source.opened(this);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    awaitingSinceNanos = NOT_AWAITING;
    if (cancelled) {
      return;
    }
    try {
      for (ByteBuffer buffer : buffers) {
        parser.feed(buffer);
      }
    } catch (IllegalStateException e) {
      // The parser's limit: its message names it. The stream is useless from here on.
      chunk.clear();
      source.failed(this, new EventSourceException("event stream " + e.getMessage(), e));
      return;
    }
    source.chunkParsed(this, chunk, parser.lastEventId());
    chunk.clear();
  }

  @Override
  public void onError(Throwable throwable) {
    source.lost(this, throwable);
  }

  @Override
  public void onComplete() {
    parser.close();
    source.lost(this, new EventSourceException("event stream ended by the server", null));
  }

  /** Collects the chunk's events and comments; passes retries and keep-alives to the source. */
  private final class ChunkHandler implements EventStreamParser.Handler {
    @Override
    public void onEvent(ReceivedEvent event) {
      chunk.add(event);
    }

    @Override
    public void onComment(String comment) {
      chunk.add(comment);
      source.commentSeen(Connection.this, System.nanoTime());
    }

    @Override
    public void onRetry(long retryMillis) {
      source.retry(retryMillis);
    }
  }
}
