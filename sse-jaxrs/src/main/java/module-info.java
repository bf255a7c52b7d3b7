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

  // The providers SseHubFeature registers have @Context fields (Providers, ResourceInfo, the
  // servlet request), which the JAX-RS implementation injects by deep reflection: HK2 for Jersey,
  // RESTEasy's own injector. Opened (not exported) to whichever implementation runs, as their
  // module names differ between versions; code still cannot compile against the package.
  opens org.ssekit.jaxrs.internal;
}
