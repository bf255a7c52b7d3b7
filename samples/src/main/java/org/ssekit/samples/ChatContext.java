package org.ssekit.samples;

import java.util.Objects;
import java.util.Optional;

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
  ChatContext {
    Objects.requireNonNull(rooms, "rooms");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(cors, "cors");
  }

  /**
   * Logs the session out, if there is one: its cookies are revoked, then every stream of the user
   * ends (with a jittered {@code retry:}), whose reconnects are then refused.
   */
  void logout(Optional<ChatSessions.Session> session) {
    session.ifPresent(
        ended -> {
          sessions.logout(ended);
          rooms.hub().closeStreamsOf(ended.name());
        });
  }
}
