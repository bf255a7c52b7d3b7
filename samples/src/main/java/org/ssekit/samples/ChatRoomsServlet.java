package org.ssekit.samples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /chat/rooms/R/members}: who is in the room ({@link #doGet}). {@code DELETE
 * /chat/rooms/R}: closes the room. Its streams end (on both paths) and later subscriptions get
 * {@code 204 No Content}; answers 204 itself, also for a room already closed.
 */
final class ChatRoomsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private static final String MEMBERS_SUFFIX = "/members";

  private final transient ChatRooms rooms;
  private final transient ChatCors cors;

  ChatRoomsServlet(ChatRooms rooms, ChatCors cors) {
    this.rooms = rooms;
    this.cors = cors;
  }

  /**
   * {@code GET /chat/rooms/R/members}: who is in the room now ({@link ChatRooms#members}), as a
   * JSON array of names, sorted; {@code 400} with the reason for a bad room name, {@code 404} for
   * another path.
   */
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cors.headers(request, response);
    String path = request.getPathInfo();
    if (path == null || !path.endsWith(MEMBERS_SUFFIX) || path.length() <= 1) {
      PlainText.answer(
          response, HttpServletResponse.SC_NOT_FOUND, "not found: GET /chat/rooms/{room}/members");
      return;
    }
    String json;
    try {
      String room = ChatInput.room(path.substring(1, path.length() - MEMBERS_SUFFIX.length()));
      json = ChatRooms.json(rooms.members(room));
    } catch (ChatRequestException refused) {
      PlainText.answer(response, refused);
      return;
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("application/json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
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
