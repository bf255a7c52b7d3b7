package org.ssekit.samples;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.ServerSentEvent;
import org.ssekit.redis.RedisUnavailableException;

/**
 * Direct messages: a DM to {@code bob} is one event on bob's private inbox topic ({@link
 * ChatAuthorizer#inboxTopic}), named {@value #EVENT}, whose data is {@code
 * {"from":"alice","text":"..."}} as JSON on one line. Only the sender's copy in its page shows a
 * sent DM: nothing is published to the sender's inbox.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class DirectMessages {
  /** The event name of a direct message. */
  static final String EVENT = "dm";

  private static final long PUBLISH_TIMEOUT_SECONDS = 10;

  private final ChatRooms rooms;

  /** Sends direct messages on the hub of {@code rooms}. */
  public DirectMessages(ChatRooms rooms) {
    this.rooms = Objects.requireNonNull(rooms, "rooms");
  }

  /**
   * Publishes {@code text} from {@code from} to {@code to}'s inbox.
   *
   * @return a stage completed with the event's id, or failed with a {@link ChatRequestException}:
   *     503 if the server is shutting down or the log is unavailable
   */
  CompletionStage<String> send(String from, String to, String text) {
    ServerSentEvent event = ServerSentEvent.builder().event(EVENT).data(json(from, text)).build();
    return rooms
        .hub()
        .publish(ChatAuthorizer.inboxTopic(to), event)
        .handle(
            (id, failure) -> {
              if (failure != null) {
                throw refusal(failure);
              }
              return id;
            });
  }

  /**
   * Publishes and waits for the id; for blocking callers such as servlets.
   *
   * @throws ChatRequestException with the status to answer if publishing failed
   */
  public String sendAndWait(String from, String to, String text) {
    try {
      return send(from, to, text)
          .toCompletableFuture()
          .get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw refusal(e.getCause());
    } catch (TimeoutException e) {
      throw rooms.unavailable("sending timed out after " + PUBLISH_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw rooms.unavailable("interrupted while sending", e);
    }
  }

  /** Returns the answer to a DM that could not be published. */
  ChatRequestException refusal(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ChatRequestException refused) {
      return refused;
    }
    if (rooms.isShuttingDown()) {
      return rooms.unavailable("server is shutting down", cause);
    }
    if (cause instanceof RedisUnavailableException) {
      return rooms.unavailable("messages unavailable: " + cause.getMessage(), cause);
    }
    return new ChatRequestException(500, "sending failed: " + cause, cause);
  }

  /** Returns the DM's data: {@code {"from":"...","text":"..."}}, one line. */
  static String json(String from, String text) {
    StringBuilder out = new StringBuilder(text.length() + from.length() + 24);
    out.append("{\"from\":");
    quote(from, out);
    out.append(",\"text\":");
    quote(text, out);
    return out.append('}').toString();
  }

  /**
   * Appends {@code value} as a JSON string. Control characters are escaped (so the data stays one
   * line: an event's data must not be split), and so are U+2028 and U+2029, which older JavaScript
   * takes for line ends in source text.
   */
  static void quote(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
