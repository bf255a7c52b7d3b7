package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code DELETE /chat/rooms/R}: closes the room. Its streams end (on both paths) and later
 * subscriptions get {@code 204 No Content}; answers 204 itself, also for a room already closed.
 */
final class ChatRoomsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient ChatRooms rooms;

  ChatRoomsServlet(ChatRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo();
    try {
      String room = ChatInput.room(path == null || path.length() <= 1 ? null : path.substring(1));
      rooms.close(room);
    } catch (ChatRequestException refused) {
      String reason =
          refused.status() == 400 && (path == null || path.length() <= 1)
              ? "missing room: DELETE /chat/rooms/{room}"
              : refused.getMessage();
      PlainText.answer(response, refused, reason);
      return;
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
