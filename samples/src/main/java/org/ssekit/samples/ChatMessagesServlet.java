package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /chat/messages?room=R}: publishes the {@code text/plain} body, exactly as sent, to
 * the room and answers {@code 202 Accepted} with the event's id as {@code text/plain}, and in
 * {@value #MULTI_ROOM_ID_HEADER} the id that streams of several rooms see for it.
 */
final class ChatMessagesServlet extends HttpServlet {
  /** The answer's header with the message's id on streams of several rooms. */
  static final String MULTI_ROOM_ID_HEADER = "Multi-Room-Event-Id";

  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;

  ChatMessagesServlet(ChatRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ChatRooms.Published published;
    try {
      String room = ChatInput.room(request.getParameter("room"));
      String text =
          ChatInput.message(
              request.getContentType(), request.getContentLengthLong(), request.getInputStream());
      published = rooms.publishAndWait(room, text);
    } catch (ChatRequestException refused) {
      PlainText.answer(request, response, refused);
      return;
    }
    response.setHeader(MULTI_ROOM_ID_HEADER, published.multiRoomId());
    PlainText.answer(response, HttpServletResponse.SC_ACCEPTED, published.id());
  }
}
