package org.ssekit.samples;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisUnavailableException;

/**
 * The chat's rooms: topics of one {@link SseHub}, shared by the servlet and the JAX-RS endpoints,
 * so that every subscriber of a room receives every message with the same id whichever path it
 * used.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class ChatRooms {
  private static final long PUBLISH_TIMEOUT_SECONDS = 10;

  private final SseHub hub;

  /** Set once, when the server starts shutting down; volatile so request threads see it. */
  private volatile boolean shuttingDown;

  ChatRooms(SseHub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  /** Returns the hub whose topics are the rooms. */
  SseHub hub() {
    return hub;
  }

  /**
   * Publishes {@code text} to {@code room} as the data of one event.
   *
   * @return a stage completed with the event's id, or failed with a {@link ChatRequestException}:
   *     410 if the room is closed, 503 if the server is shutting down
   */
  CompletionStage<String> publish(String room, String text) {
    CompletionStage<String> published;
    try {
      published = hub.publish(room, ServerSentEvent.of(text));
    } catch (IllegalStateException hubClosed) {
      return CompletableFuture.failedFuture(refusal(room, hubClosed));
    }
    return published.handle(
        (id, failure) -> {
          if (failure != null) {
            throw refusal(room, failure);
          }
          return id;
        });
  }

  /**
   * Returns the answer to a publication to {@code room} that failed with {@code failure}: 503 while
   * the server shuts down or Redis is unreachable, 410 if the room is closed (the hub fails
   * publications to closed topics with {@link IllegalStateException}), 500 otherwise.
   */
  ChatRequestException refusal(String room, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ChatRequestException refused) {
      return refused;
    }
    if (shuttingDown) {
      return unavailable("server is shutting down", cause);
    }
    if (cause instanceof RedisUnavailableException) {
      return unavailable("rooms unavailable: " + cause.getMessage(), cause);
    }
    if (cause instanceof IllegalStateException) {
      return new ChatRequestException(410, "room closed: " + room, cause);
    }
    return new ChatRequestException(500, "publishing failed: " + cause, cause);
  }

  /** Returns a 503 whose Retry-After is the hub's, as for a refused stream. */
  private ChatRequestException unavailable(String reason, Throwable cause) {
    return ChatRequestException.unavailable(reason, hub.config().retryAfter(), cause);
  }

  /**
   * Marks the server as shutting down: later failures answer 503. Called before the hub is closed.
   */
  void shutDown() {
    shuttingDown = true;
  }

  /**
   * Publishes and waits for the id; for blocking callers such as servlets.
   *
   * @throws ChatRequestException with the status to answer if publishing failed
   */
  String publishAndWait(String room, String text) {
    try {
      return publish(room, text)
          .toCompletableFuture()
          .get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw refusal(room, e.getCause());
    } catch (TimeoutException e) {
      throw unavailable("publishing timed out after " + PUBLISH_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while publishing", e);
    }
  }

  /**
   * Closes {@code room}: its streams end and later subscribers get {@code 204 No Content}. Closing
   * a closed room does nothing.
   *
   * @throws ChatRequestException with 503 if the server is shutting down
   */
  void close(String room) {
    try {
      hub.closeTopic(room).toCompletableFuture().get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IllegalStateException hubClosed) {
      throw unavailable("server is shutting down", hubClosed);
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable("closing room " + room + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while closing room " + room, e);
    }
  }

  /**
   * Ends the current streams of {@code room} without closing it; clients reconnect with {@code
   * Last-Event-ID} and catch up from the log.
   *
   * @return the number of streams ended
   */
  int drop(String room) {
    return hub.disconnectAll(room);
  }
}
