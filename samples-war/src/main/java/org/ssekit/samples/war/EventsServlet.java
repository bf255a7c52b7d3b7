package org.ssekit.samples.war;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/**
 * {@code GET /events?topic=T}: the topic's event stream. The hub is the application's, found in the
 * context attribute that {@link org.ssekit.servlet.SseHubListener} sets.
 */
@WebServlet(urlPatterns = "/events", asyncSupported = true)
public class EventsServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  /** Created by the container. */
  public EventsServlet() {}

  @Override
  protected Admission admit(HttpServletRequest request) {
    String topic = request.getParameter("topic");
    String problem = Topics.problem(topic);
    return problem == null ? Admission.accept(topic) : Admission.refuse(400, problem);
  }
}
