package org.ssekit.samples;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/**
 * {@code GET /chat/events?room=R[&room=S...]}: one event stream of 1-16 rooms through the servlet
 * adapter (see {@link ChatRooms#selection} for what a stream of one and of several rooms carries).
 * No room, more than 16 or an invalid one is refused with 400; a stream whose rooms are all closed
 * answers 204, which stops a browser's reconnects.
 */
final class ChatEventsServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  ChatEventsServlet(ChatRooms rooms) {
    super(rooms.hub());
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    String[] rooms = request.getParameterValues("room");
    try {
      return Admission.accept(
          ChatRooms.selection(ChatInput.rooms(rooms == null ? null : Arrays.asList(rooms))));
    } catch (ChatRequestException refused) {
      return Admission.refuse(refused.status(), refused.getMessage());
    }
  }
}
