package org.ssekit.samples;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /login} and {@code POST /logout}. A login's body is the user's name as {@code
 * text/plain} (1-32 chars of {@code [A-Za-z0-9_-]}; white space around it is ignored): {@code 204}
 * with the {@linkplain ChatSessions signed session cookie}, or {@code 400} with the reason. A
 * logout answers {@code 204}, clears the cookie and, if the cookie was a valid session, revokes it
 * and ends every stream of the user on every node ({@link ChatContext#logout}; each gets a jittered
 * {@code retry:}). While the logouts or the other nodes cannot be reached (Redis), both answer
 * {@code 503} with {@code Retry-After} and the reason, and a refused logout keeps the cookie. Both
 * answer CORS for allowed origins, preflights included.
 */
final class LoginServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ChatContext chat;
  private final transient ChatSessions sessions;
  private final transient ChatCors cors;
  private final boolean login;

  private LoginServlet(ChatContext chat, boolean login) {
    this.chat = chat;
    this.sessions = chat.sessions();
    this.cors = chat.cors();
    this.login = login;
  }

  /** Returns {@code POST /login}. */
  static LoginServlet login(ChatContext chat) {
    return new LoginServlet(chat, true);
  }

  /** Returns {@code POST /logout}. */
  static LoginServlet logout(ChatContext chat) {
    return new LoginServlet(chat, false);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cors.headers(request, response);
    if (login) {
      try {
        String name = loginName(request.getContentType(), request.getContentLengthLong(), request);
        response.addHeader("Set-Cookie", sessions.login(name));
      } catch (ChatRequestException refused) {
        PlainText.answer(request, response, refused);
        return;
      }
    } else {
      ChatInput.drain(request.getInputStream());
      try {
        chat.logout(sessions.authentic(request));
      } catch (ChatRequestException refused) {
        // The cookie stays: a retry of the logout needs it.
        PlainText.answer(response, refused);
        return;
      }
      response.addHeader("Set-Cookie", sessions.clearingCookie());
    }
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (!cors.answerPreflight(request, response)) {
      super.doOptions(request, response);
    }
  }

  private static String loginName(String contentType, long length, HttpServletRequest request)
      throws IOException {
    return ChatSessions.name(
        ChatInput.message(contentType, length, request.getInputStream()).strip(), "name");
  }
}
