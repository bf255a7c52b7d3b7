package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.ssekit.SseHub;

/** Streams the topic named by the {@code topic} query parameter; {@code deny} refuses with 403. */
public final class TopicServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  public TopicServlet(SseHub hub) {
    super(hub);
  }

  public TopicServlet() {}

  @Override
  protected Admission admit(HttpServletRequest request) {
    if (request.getParameter("deny") != null) {
      return Admission.refuse(403, "not allowed here");
    }
    String topic = request.getParameter("topic");
    return Admission.accept(topic == null ? "t" : topic);
  }
}
