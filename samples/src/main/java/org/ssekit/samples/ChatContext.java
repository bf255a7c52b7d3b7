package org.ssekit.samples;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the chat's endpoints share, on both paths: the rooms (and their hub), the sessions, the
 * direct messages and the CORS of the allowed origins.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param rooms the rooms and their hub
 * @param sessions the logins
 * @param messages the direct messages
 * @param cors the allowed origins
 */
record ChatContext(ChatRooms rooms, ChatSessions sessions, DirectMessages messages, ChatCors cors) {
  /** How long a logout waits for the other nodes to be told; the log's own timeout is shorter. */
  private static final long ANNOUNCE_TIMEOUT_SECONDS = 10;

  ChatContext {
    Objects.requireNonNull(rooms, "rooms");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(cors, "cors");
  }

  /**
   * Logs the session out, if there is one: its name's cookies issued until now are revoked ({@link
   * ChatSessions#logout}: on every node, with {@code --redis}), then every stream of the user ends,
   * on this node and on every node that shares the log ({@link
   * org.ssekit.SseHub#closeStreamsEverywhere}; each with a jittered {@code retry:}), and their
   * reconnects are refused. Both steps are done before this returns, or it throws.
   *
   * <p>An authentic cookie that a logout revoked already (a retry of a logout refused after its
   * first step) revokes nothing more, so that the name's later logins stay valid, and ends the
   * user's streams again: a retry completes what the first attempt could not.
   *
   * @param session the request's {@linkplain ChatSessions#authentic authentic} session, revoked or
   *     not; empty for none
   * @throws ChatRequestException with 503 if the revocation could not be recorded (nothing changed
   *     then), or the other nodes could not be told (this node's streams of the user ended; the
   *     cookie is revoked)
   */
  void logout(Optional<ChatSessions.Session> session) {
    if (session.isEmpty()) {
      return;
    }
    String name = session.get().name();
    sessions.logout(session.get());
    try {
      rooms
          .hub()
          .closeStreamsEverywhere(name)
          .toCompletableFuture()
          .get(ANNOUNCE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (IllegalStateException closed) {
      throw rooms.unavailable("server is shutting down", closed);
    } catch (ExecutionException e) {
      throw rooms.unavailable(
          "logged out on this node, but the other nodes could not be told ("
              + e.getCause().getClass().getSimpleName()
              + "): log out again",
          e.getCause());
    } catch (TimeoutException e) {
      throw rooms.unavailable(
          "logged out on this node, but telling the other nodes timed out after "
              + ANNOUNCE_TIMEOUT_SECONDS
              + " s: log out again",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw rooms.unavailable("interrupted while logging out", e);
    }
  }
}
