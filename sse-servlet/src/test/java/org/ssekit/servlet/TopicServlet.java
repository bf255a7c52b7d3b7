package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseHub;

/** Streams the topic named by the {@code topic} query parameter; {@code deny} refuses with 403. */
public final class TopicServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  private final transient RefusalAnswer refusalAnswer;

  public TopicServlet(SseHub hub) {
    this(hub, null);
  }

  /** Streams topics of {@code hub}, answering passing refusals with {@code refusalAnswer}. */
  public TopicServlet(SseHub hub, RefusalAnswer refusalAnswer) {
    super(hub);
    this.refusalAnswer = refusalAnswer;
  }

  public TopicServlet() {
    this.refusalAnswer = null;
  }

  @Override
  protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
    return refusalAnswer == null ? builder : builder.refusalAnswer(refusalAnswer);
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    if (request.getParameter("deny") != null) {
      return Admission.refuse(403, "not allowed here");
    }
    String topic = request.getParameter("topic");
    return Admission.accept(topic == null ? "t" : topic);
  }
}
