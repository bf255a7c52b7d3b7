package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.ssekit.Selection;
import org.ssekit.SseHub;

/**
 * Streams the selection of the {@code entry} query parameters, as an application would: the entries
 * it cannot build into a {@link Selection} are refused with 400 and the rule they break.
 */
public final class SelectionServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  public SelectionServlet(SseHub hub) {
    super(hub);
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    String[] entries = request.getParameterValues("entry");
    if (entries == null) {
      return Admission.refuse(400, "missing query parameter: entry");
    }
    try {
      return Admission.accept(Selection.of(entries));
    } catch (IllegalArgumentException badEntry) {
      return Admission.refuse(400, badEntry.getMessage());
    }
  }
}
