package org.ssekit.samples;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ssekit.Selection;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;

/**
 * The chat's streams through the servlet adapter, authorized by the {@link ChatAuthorizer} and
 * answering CORS for the allowed origins:
 *
 * <ul>
 *   <li>{@code GET /chat/events?room=R[&room=S...]}: one event stream of 1-16 rooms (see {@link
 *       ChatRooms#selection} for what a stream of one and of several rooms carries); with {@code
 *       &inbox=1}, the logged-in user's direct messages too; with {@code &presence=1}, the presence
 *       events of its rooms ({@code event: presence}, data {@code {"join":"alice"}} or {@code
 *       {"leave":"alice"}}, with the {@code "topic"} for several rooms) too ({@link
 *       ChatRooms#selection(List, String, boolean)}).
 *   <li>{@code GET /chat/inbox}: the logged-in user's direct messages ({@link #inbox}).
 * </ul>
 *
 * No room, more than 16 or an invalid one is refused with 400; the inbox without a valid session
 * with 401 and {@code WWW-Authenticate}; a stream whose rooms are all closed answers 204, which
 * stops a browser's reconnects.
 */
final class ChatEventsServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  /** The request attribute with the request's session, read once per request. */
  private static final String SESSION_ATTRIBUTE = ChatEventsServlet.class.getName() + ".session";

  private final transient ChatSessions sessions;
  private final transient ChatCors cors;
  private final boolean inboxOnly;

  private ChatEventsServlet(
      ChatRooms rooms, ChatSessions sessions, ChatCors cors, boolean inboxOnly) {
    super(rooms.hub());
    this.sessions = sessions;
    this.cors = cors;
    this.inboxOnly = inboxOnly;
  }

  /** Returns {@code GET /chat/events}. */
  static ChatEventsServlet rooms(ChatRooms rooms, ChatSessions sessions, ChatCors cors) {
    return new ChatEventsServlet(rooms, sessions, cors, false);
  }

  /** Returns {@code GET /chat/inbox}. */
  static ChatEventsServlet inbox(ChatRooms rooms, ChatSessions sessions, ChatCors cors) {
    return new ChatEventsServlet(rooms, sessions, cors, true);
  }

  @Override
  protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
    builder.authorizer(new ChatAuthorizer(sessions));
    cors.streams().ifPresent(builder::cors);
    return builder;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    Optional<ChatSessions.Session> session;
    try {
      session = sessions.verify(request);
    } catch (ChatRequestException unavailable) {
      // A 503 would close a browser's EventSource for good.
      cors.headers(request, response);
      RetryStream.answer(response, unavailable);
      return;
    }
    request.setAttribute(SESSION_ATTRIBUTE, session);
    if (session.isEmpty() && wantsInbox(request)) {
      // admit refuses with 401, which needs a challenge, and admit cannot set headers.
      response.setHeader("WWW-Authenticate", ChatSessions.CHALLENGE);
    }
    super.doGet(request, response);
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    @SuppressWarnings("unchecked")
    Optional<ChatSessions.Session> session =
        (Optional<ChatSessions.Session>) request.getAttribute(SESSION_ATTRIBUTE);
    try {
      boolean inbox = inboxOnly || ChatInput.inbox(request.getParameter("inbox"));
      if (inbox && session.isEmpty()) {
        throw ChatRequestException.unauthenticated("log in first: POST /login");
      }
      if (inboxOnly) {
        return Admission.accept(Selection.topic(ChatAuthorizer.inboxTopic(session.get().name())));
      }
      String[] values = request.getParameterValues("room");
      List<String> rooms = ChatInput.rooms(values == null ? null : Arrays.asList(values));
      boolean presence = ChatInput.presence(request.getParameter("presence"));
      Selection selection =
          ChatRooms.selection(rooms, inbox ? session.get().name() : null, presence);
      return presence
          ? Admission.accept(selection, ChatRooms.PRESENCE_LISTENER)
          : Admission.accept(selection);
    } catch (ChatRequestException refused) {
      return Admission.refuse(refused.status(), refused.getMessage());
    }
  }

  /** Returns true if the request asks for the inbox; false too for a bad {@code inbox} value. */
  private boolean wantsInbox(HttpServletRequest request) {
    try {
      return inboxOnly || ChatInput.inbox(request.getParameter("inbox"));
    } catch (ChatRequestException badValue) {
      return false;
    }
  }
}
