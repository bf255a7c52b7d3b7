package org.ssekit.samples;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /chat/messages?room=R}: publishes the {@code text/plain} body, exactly as sent, to
 * the room and answers {@code 202 Accepted} with the event's id as {@code text/plain}, and in
 * {@value #MULTI_ROOM_ID_HEADER} the id that streams of several rooms see for it. Answers CORS for
 * allowed origins, preflights included.
 */
final class ChatMessagesServlet extends HttpServlet {
  /** The answer's header with the message's id on streams of several rooms. */
  static final String MULTI_ROOM_ID_HEADER = ChatRooms.MULTI_ROOM_ID_HEADER;

  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;
  private final transient ChatCors cors;

  ChatMessagesServlet(ChatRooms rooms, ChatCors cors) {
    this.rooms = rooms;
    this.cors = cors;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cors.headers(request, response);
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

  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (!cors.answerPreflight(request, response)) {
      super.doOptions(request, response);
    }
  }
}
