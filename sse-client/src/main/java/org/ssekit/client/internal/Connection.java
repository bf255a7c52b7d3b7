package org.ssekit.client.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.ssekit.EventStreamParser;
import org.ssekit.ReceivedEvent;
import org.ssekit.client.EventSourceException;

/**
 * One connection attempt of a {@link RealEventSource}, and, once the response is an event stream,
 * the subscriber of its body: parses each chunk and hands its events to the source's delivery, and
 * asks for the next chunk only when they have been delivered.
 *
 * <p>The parser is new for each connection, but the last event id belongs to the source and
 * persists across connections, as in a browser. The parser is therefore first fed {@code id: <last
 * id>} and a blank line (which dispatches nothing), and a byte order mark at the start of the
 * server's stream is removed here, since it is no longer at the start of the parser's input.
 *
 * <p><b>Thread safety:</b> the body subscriber methods are called serially by the HTTP client (the
 * parser and the chunk list are confined to them); {@link #cancel()} and the volatile fields may be
 * used from any thread.
 */
final class Connection implements HttpResponse.BodySubscriber<Void> {
  /** A value of {@link #awaitingSinceNanos} meaning no chunk has been asked for. */
  static final long NOT_AWAITING = Long.MIN_VALUE;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final int BOM_DONE = -1;

  private final RealEventSource source;
  private final EventStreamParser parser;
  private final CompletableFuture<Void> body = new CompletableFuture<>();

  // Confined to the body subscriber's serial calls.
  private final List<Object> chunk = new ArrayList<>();
  private int bomBytesMatched;

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
    this.parser = new EventStreamParser(new ChunkHandler(), maxLineChars);
    if (!lastEventId.isEmpty()) {
      byte[] seed = ("id:" + lastEventId + "\n\n").getBytes(StandardCharsets.UTF_8);
      parser.feed(seed, 0, seed.length);
    }
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
        feed(buffer);
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

  /** Feeds the parser, removing a byte order mark at the start of the server's stream. */
  private void feed(ByteBuffer buffer) {
    while (bomBytesMatched != BOM_DONE && buffer.hasRemaining()) {
      if (buffer.get(buffer.position()) != BOM[bomBytesMatched]) {
        int matched = bomBytesMatched;
        bomBytesMatched = BOM_DONE;
        parser.feed(BOM, 0, matched); // not a BOM after all: the bytes held back are input
        break;
      }
      buffer.position(buffer.position() + 1);
      bomBytesMatched = bomBytesMatched + 1 == BOM.length ? BOM_DONE : bomBytesMatched + 1;
    }
    parser.feed(buffer);
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
