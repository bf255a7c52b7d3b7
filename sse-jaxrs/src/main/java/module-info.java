/**
 * The ssekit JAX-RS adapter: {@code SseBroadcaster}s backed by hub topics, and {@code @SseTopic}
 * resource methods, over Servlet non-blocking I/O when a servlet container is underneath.
 */
module org.ssekit.jaxrs {
  requires transitive org.ssekit;
  requires transitive jakarta.ws.rs;
  // Optional at run time: without a servlet container, sinks are written with SseEventSink.send.
  requires static org.ssekit.servlet;
  requires static jakarta.servlet;

  exports org.ssekit.jaxrs;
}
