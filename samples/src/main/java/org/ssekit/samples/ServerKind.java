package org.ssekit.samples;

/** The embedded servlet containers the demo runs on. */
public enum ServerKind {
  /** Jetty 12.1 with its ee11 (Servlet 6.1) environment. */
  JETTY,
  /** Tomcat 11 (Servlet 6.1). */
  TOMCAT;

  /** Returns the name used on the command line and in log lines, such as {@code jetty}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
