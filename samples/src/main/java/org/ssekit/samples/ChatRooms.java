package org.ssekit.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.HubIdentity;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.redis.RedisUnavailableException;

/**
 * The chat's rooms: topics of one {@link SseHub}, shared by the servlet and the JAX-RS endpoints,
 * so that every subscriber of a room receives every message with the same id whichever path it
 * used.
 *
 * <p><b>Two topics per room.</b> The hub encodes an event once and sends the same bytes to every
 * subscriber, so one event cannot be both what a stream of one room has always received ({@code
 * id:} and {@code data:}) and what a stream of several rooms needs ({@code event: <room>} too, to
 * tell the rooms apart). So a message is published twice: to the topic {@code <room>}, whose
 * streams are the one-room streams of before, and to {@code rooms/<room>} with {@code event:
 * <room>}, whose streams are the selections of several rooms ({@link #selection}). Each topic has
 * its own ids: a post answers the id of {@code <room>} (as before) and also that of {@code
 * rooms/<room>}; a stream resumes from the ids of its own topics. Closing a room closes both.
 * {@link RoomTurns} runs each room's publications and closings one at a time, so that both topics
 * get a room's messages in one order and a closing never splits a message.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ChatRooms {
  /** The header of a post's answer with the message's id on streams of several rooms. */
  public static final String MULTI_ROOM_ID_HEADER = "Multi-Room-Event-Id";

  /** The prefix of the topics that streams of several rooms subscribe to. */
  static final String MULTI_ROOM_PREFIX = "rooms/";

  /**
   * The hub's presence topics ({@link SseHub.Builder#presenceTopics}): the multi-room topics, which
   * the streams of logged-in users on the page carry; {@link #members} reads them.
   */
  public static final Selection PRESENCE_TOPICS = Selection.of(MULTI_ROOM_PREFIX + "*");

  /**
   * Asks the hub for a stream's presence events once it is open ({@link
   * Subscription#receivePresence}): the listener of a {@code presence=1} stream. Stateless, so
   * shared.
   */
  public static final SseListener PRESENCE_LISTENER =
      new SseListener() {
        @Override
        public void onOpen(Subscription subscription) {
          subscription.receivePresence();
        }
      };

  private static final long PUBLISH_TIMEOUT_SECONDS = 10;

  private final SseHub hub;
  private final RoomTurns turns = new RoomTurns();

  /** Set once, when the server starts shutting down; volatile so request threads see it. */
  private volatile boolean shuttingDown;

  /** Serves the rooms as topics of {@code hub}. */
  public ChatRooms(SseHub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  /** A message in the log: its id on the room's topic and on the room's multi-room topic. */
  public record Published(String id, String multiRoomId) {}

  /** Returns the hub whose topics are the rooms. */
  SseHub hub() {
    return hub;
  }

  /** Returns the topic that carries {@code room}'s messages to streams of several rooms. */
  static String multiRoomTopic(String room) {
    return MULTI_ROOM_PREFIX + room;
  }

  /**
   * Returns what a stream of {@code rooms} subscribes to: the room's topic for one room (the stream
   * of before, byte for byte), the rooms' multi-room topics for several.
   *
   * @param rooms 1-16 distinct valid room names ({@link ChatInput#rooms})
   */
  static Selection selection(List<String> rooms) {
    if (rooms.size() == 1) {
      return Selection.topic(rooms.get(0));
    }
    return Selection.of(rooms.stream().map(ChatRooms::multiRoomTopic).toList());
  }

  /**
   * Returns what a stream of {@code rooms} subscribes to, with {@code user}'s inbox (unless null)
   * and presence events ({@code presence}) or without: without either, {@link #selection}; with
   * either, the rooms' multi-room topics, even for one room (their events are named after their
   * rooms, so that the page tells them from direct messages and presence events, and they are the
   * {@linkplain #PRESENCE_TOPICS presence topics}), and the user's inbox topic if asked for.
   *
   * @param rooms 1-16 distinct valid room names ({@link ChatInput#rooms})
   * @param user a logged-in user's name for a stream with the inbox, or null for one without
   * @param presence whether the stream gets presence events too (the caller asks the hub for them)
   * @throws ChatRequestException with 400 if a room is named {@value DirectMessages#EVENT} (with
   *     the inbox) or {@value HubIdentity#PRESENCE_EVENT_TYPE} (with presence): its messages could
   *     not be told from the other events of the stream
   */
  public static Selection selection(List<String> rooms, String user, boolean presence) {
    if (user == null && !presence) {
      return selection(rooms);
    }
    if (user != null) {
      refuseRoomNamed(rooms, DirectMessages.EVENT, "the inbox");
    }
    if (presence) {
      refuseRoomNamed(rooms, HubIdentity.PRESENCE_EVENT_TYPE, "presence events");
    }
    List<String> entries = new ArrayList<>();
    rooms.forEach(room -> entries.add(multiRoomTopic(room)));
    if (user != null) {
      entries.add(ChatAuthorizer.inboxTopic(user));
    }
    return Selection.of(entries);
  }

  private static void refuseRoomNamed(List<String> rooms, String eventType, String what) {
    if (rooms.contains(eventType)) {
      throw new ChatRequestException(
          400,
          "room "
              + eventType
              + " cannot share a stream with "
              + what
              + ": its events are named "
              + eventType
              + " too");
    }
  }

  /**
   * Returns who is in {@code room} now: the logged-in users with a stream that carries the room's
   * multi-room topic (a stream with the inbox, with presence events, or of several rooms), on any
   * node sharing the hub's log. A stream of this room alone without either (the topic {@code
   * <room>}) is not counted: it is the anonymous stream of before, byte for byte.
   *
   * @param room a valid room name ({@link ChatInput#room})
   * @return an immutable snapshot, sorted by name
   */
  public Set<String> members(String room) {
    return hub.members(multiRoomTopic(room));
  }

  /**
   * Returns {@code names} as a JSON array of strings, in their order: the answer of {@code GET
   * /chat/rooms/R/members}.
   */
  public static String json(Set<String> names) {
    StringBuilder out = new StringBuilder("[");
    for (String name : names) {
      if (out.length() > 1) {
        out.append(',');
      }
      DirectMessages.quote(name, out);
    }
    return out.append(']').toString();
  }

  /**
   * Publishes {@code text} to {@code room} as the data of one event, on both of the room's topics.
   *
   * @return a stage completed with the event's ids, or failed with a {@link ChatRequestException}:
   *     410 if the room is closed, 503 if the server is shutting down or the log is unavailable
   */
  CompletionStage<Published> publish(String room, String text) {
    ServerSentEvent named = ServerSentEvent.builder().event(room).data(text).build();
    CompletionStage<Published> published =
        turns.run(
            room,
            () ->
                hub.publish(room, ServerSentEvent.of(text))
                    .thenCompose(
                        id ->
                            hub.publish(multiRoomTopic(room), named)
                                .thenApply(multiRoomId -> new Published(id, multiRoomId))));
    return published.handle(
        (ids, failure) -> {
          if (failure != null) {
            throw refusal(room, failure);
          }
          return ids;
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
  ChatRequestException unavailable(String reason, Throwable cause) {
    return ChatRequestException.unavailable(reason, hub.config().retryAfter(), cause);
  }

  /**
   * Marks the server as shutting down: later failures answer 503. Called before the hub is closed.
   */
  public void shutDown() {
    shuttingDown = true;
  }

  /** Returns true once the server has started shutting down. */
  boolean isShuttingDown() {
    return shuttingDown;
  }

  /**
   * Publishes and waits for the ids; for blocking callers such as servlets.
   *
   * @throws ChatRequestException with the status to answer if publishing failed
   */
  public Published publishAndWait(String room, String text) {
    return await(publish(room, text), room, "publishing");
  }

  /**
   * Closes {@code room}, both of its topics: streams of this room alone end, streams of several
   * rooms go on without it, and later subscribers of this room alone get {@code 204 No Content}.
   * Closing a closed room does nothing.
   *
   * @throws ChatRequestException with 503 if the server is shutting down or closing failed
   */
  public void close(String room) {
    CompletionStage<Void> closed =
        turns.run(
            room,
            () -> hub.closeTopic(room).thenCompose(v -> hub.closeTopic(multiRoomTopic(room))));
    await(
        closed.handle(
            (v, failure) -> {
              if (failure != null) {
                throw closingRefusal(room, failure);
              }
              return v;
            }),
        room,
        "closing room " + room);
  }

  private ChatRequestException closingRefusal(String room, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (shuttingDown) {
      return unavailable("server is shutting down", cause);
    }
    return unavailable("closing room " + room + " failed: " + cause, cause);
  }

  private <T> T await(CompletionStage<T> stage, String room, String what) {
    try {
      return stage.toCompletableFuture().get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw refusal(room, e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(what + " timed out after " + PUBLISH_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while " + what, e);
    }
  }

  /**
   * Ends the current streams of {@code room}, of one room and of several, without closing it;
   * clients reconnect with {@code Last-Event-ID} and catch up from the log.
   *
   * @return the number of streams ended
   */
  int drop(String room) {
    return hub.disconnectAll(room) + hub.disconnectAll(multiRoomTopic(room));
  }

  /** Returns the number of this node's streams of {@code room} alone. */
  int oneRoomStreams(String room) {
    return hub.subscriberCount(room);
  }

  /** Returns the number of this node's streams of several rooms that include {@code room}. */
  int multiRoomStreams(String room) {
    return hub.subscriberCount(multiRoomTopic(room));
  }
}
