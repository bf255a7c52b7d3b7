package org.ssekit.jaxrs.internal;

/**
 * Finds out, without loading any servlet type, whether the servlet write path can exist: the
 * Servlet API and sse-servlet are on the class path.
 */
final class ServletProbe {
  private static final boolean AVAILABLE =
      loadable("jakarta.servlet.http.HttpServletRequest")
          && loadable("jakarta.servlet.WriteListener")
          && loadable("org.ssekit.servlet.ServletStreams");

  private ServletProbe() {}

  static boolean isAvailable() {
    return AVAILABLE;
  }

  /** Creates the servlet-aware filter; call only when {@link #isAvailable()}. */
  static StreamFilter newFilter(RealSseTopics topics) {
    return new ServletStreamFilter(topics);
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, ServletProbe.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
