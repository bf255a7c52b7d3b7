package org.ssekit.samples;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.StreamRequest;

/**
 * Decides who may read which of the chat's topics, on both paths, on every connect and reconnect:
 * anyone may read rooms (the topics {@code <room>} and {@code rooms/<room>}); only the logged-in
 * user may read {@code users/<name>/inbox}, the own inbox. The user is the one of the request's
 * {@linkplain ChatSessions session cookie}; the rule is the library's {@link PrincipalAuthorizer}
 * with that name as the principal, so a selector or any entry it does not cover (another user's
 * inbox, {@code users/*}{@code /inbox}, {@code **}) is refused as a whole: {@code 401} without a
 * session, {@code 403} with one. The endpoints build only rooms and the own inbox; this is the rule
 * that holds whatever they build, replays included (a replay reads only the allowed selection).
 *
 * <p>An allowed stream of a logged-in user is attributed to the name ({@link
 * Authorization#forPrincipal}), so that a logout ends it ({@link
 * org.ssekit.SseHub#closeStreamsOf}), and ends when the session expires ({@link
 * Authorization#allowUntil}); a stream without a session lasts.
 *
 * <p>With {@code --redis} the check reads the name's last logout from Redis. The endpoints check
 * the cookie before (and answer a stream whose session cannot be checked with a {@link
 * RetryStream}); if Redis becomes unreachable between that check and this one, this one answers
 * {@link Authorization#unavailable}, which the library answers as a passing refusal (a jittered
 * {@code retry:}), so that the browser comes back rather than taking a {@code 403} for good.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class ChatAuthorizer implements Authorizer {
  /** The prefix of the users' inbox topics. */
  static final String USERS_PREFIX = "users/";

  private final ChatSessions sessions;
  private final Authorizer topics = topicRules();

  ChatAuthorizer(ChatSessions sessions) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  /**
   * Returns the rule of who reads which topic, given the request's principal: anyone the rooms
   * ({@code <room>} and {@code rooms/<room>}), the principal its own inbox; {@code 401} with the
   * {@linkplain ChatSessions#CHALLENGE challenge} without a principal. samples-spring-boot uses it
   * as it is, with the principal from Spring Security.
   */
  public static PrincipalAuthorizer topicRules() {
    return PrincipalAuthorizer.builder()
        .allowAnyone("*", ChatRooms.MULTI_ROOM_PREFIX + "*")
        .allowAuthenticated(USERS_PREFIX + PrincipalAuthorizer.PRINCIPAL_PLACEHOLDER + "/inbox")
        .challenge(ChatSessions.CHALLENGE)
        .build();
  }

  /** Returns the topic of {@code name}'s direct messages. */
  public static String inboxTopic(String name) {
    return USERS_PREFIX + name + "/inbox";
  }

  @Override
  public Authorization authorize(StreamRequest request) {
    Optional<ChatSessions.Session> session;
    try {
      session = sessions.verify(request.cookie(ChatSessions.COOKIE));
    } catch (ChatRequestException unavailable) {
      if (unavailable.status() != 503) {
        throw unavailable;
      }
      return Authorization.unavailable(unavailable.getMessage());
    }
    Principal user = session.<Principal>map(s -> s::name).orElse(null);
    Authorization decision =
        topics.authorize(StreamRequest.builder(request.selection()).principal(user).build());
    if (!decision.isAllowed() || session.isEmpty()) {
      return decision;
    }
    return Authorization.allowUntil(session.get().expiry()).forPrincipal(session.get().name());
  }
}
