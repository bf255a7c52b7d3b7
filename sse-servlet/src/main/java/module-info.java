/** The ssekit servlet transport: event streams over Servlet async, non-blocking I/O. */
module org.ssekit.servlet {
  requires transitive org.ssekit;
  requires transitive jakarta.servlet;

  exports org.ssekit.servlet;
}
