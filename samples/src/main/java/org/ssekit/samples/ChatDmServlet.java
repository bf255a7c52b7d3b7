package org.ssekit.samples;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /chat/dm?to=NAME}: sends the {@code text/plain} body (as for messages) from the
 * logged-in user to {@code NAME}'s inbox ({@link DirectMessages}) and answers {@code 202} with the
 * event's id. Without a valid session: {@code 401} with {@code WWW-Authenticate}; a {@code to} that
 * is no user name: {@code 400}. Answers CORS for allowed origins, preflights included.
 */
final class ChatDmServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient DirectMessages messages;
  private final transient ChatSessions sessions;
  private final transient ChatCors cors;

  ChatDmServlet(DirectMessages messages, ChatSessions sessions, ChatCors cors) {
    this.messages = messages;
    this.sessions = sessions;
    this.cors = cors;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cors.headers(request, response);
    String id;
    try {
      ChatSessions.Session from =
          sessions
              .verify(request)
              .orElseThrow(() -> ChatRequestException.unauthenticated("log in first: POST /login"));
      String to = ChatSessions.name(request.getParameter("to"), "query parameter: to");
      String text =
          ChatInput.message(
              request.getContentType(), request.getContentLengthLong(), request.getInputStream());
      id = messages.sendAndWait(from.name(), to, text);
    } catch (ChatRequestException refused) {
      PlainText.answer(request, response, refused);
      return;
    }
    PlainText.answer(response, HttpServletResponse.SC_ACCEPTED, id);
  }

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (!cors.answerPreflight(request, response)) {
      super.doOptions(request, response);
    }
  }
}
