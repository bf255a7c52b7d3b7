package org.ssekit.samples;

import jakarta.servlet.http.HttpServletRequest;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/**
 * {@code GET /chat/events?room=R}: the room's event stream through the servlet adapter. A missing
 * or invalid room is refused with 400; a closed room answers 204, which stops a browser's
 * reconnects.
 */
final class ChatEventsServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  ChatEventsServlet(ChatRooms rooms) {
    super(rooms.hub());
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    try {
      return Admission.accept(ChatInput.room(request.getParameter("room")));
    } catch (ChatRequestException refused) {
      return Admission.refuse(refused.status(), refused.getMessage());
    }
  }
}
