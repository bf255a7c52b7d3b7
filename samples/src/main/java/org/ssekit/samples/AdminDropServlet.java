package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /admin/drop?room=R}, mapped only with {@code --test-hooks}: ends the room's current
 * streams (of the room alone and of several rooms with it) without closing it, so clients reconnect
 * with {@code Last-Event-ID}; the room's log is kept. Answers 200 with the number of streams ended.
 */
final class AdminDropServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;

  AdminDropServlet(ChatRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      String room = ChatInput.room(request.getParameter("room"));
      int dropped = rooms.drop(room);
      PlainText.answer(
          response, HttpServletResponse.SC_OK, "dropped " + dropped + " streams of " + room);
    } catch (ChatRequestException refused) {
      PlainText.answer(response, refused);
    }
  }
}
