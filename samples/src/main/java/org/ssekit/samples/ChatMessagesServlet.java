package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /chat/messages?room=R}: publishes the {@code text/plain} body, exactly as sent, to
 * the room and answers {@code 202 Accepted} with the event's id as {@code text/plain}.
 */
final class ChatMessagesServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;

  ChatMessagesServlet(ChatRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String id;
    try {
      String room = ChatInput.room(request.getParameter("room"));
      String text =
          ChatInput.message(
              request.getContentType(), request.getContentLengthLong(), request.getInputStream());
      id = rooms.publishAndWait(room, text);
    } catch (ChatRequestException refused) {
      PlainText.answer(response, refused);
      return;
    }
    PlainText.answer(response, HttpServletResponse.SC_ACCEPTED, id);
  }
}
