package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /admin/streams?room=R}, mapped only with {@code --test-hooks}: how many of this node's
 * streams carry the room, as {@code streams of R: N one-room, M multi-room}. Tests read it to see
 * how many connections a page holds.
 */
final class AdminStreamsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;

  AdminStreamsServlet(ChatRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      String room = ChatInput.room(request.getParameter("room"));
      PlainText.answer(
          response,
          HttpServletResponse.SC_OK,
          "streams of "
              + room
              + ": "
              + rooms.oneRoomStreams(room)
              + " one-room, "
              + rooms.multiRoomStreams(room)
              + " multi-room");
    } catch (ChatRequestException refused) {
      PlainText.answer(response, refused);
    }
  }
}
