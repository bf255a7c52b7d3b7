/**
 * A test application that uses sse-jaxrs as a named module, on the module path; the JAX-RS
 * implementation (Jersey or RESTEasy) is whichever the module path holds. What each line is for,
 * and the error without it: the sse-jaxrs README, "On the module path".
 */
module org.ssekit.jpms {
  requires org.ssekit.jaxrs;
  // sse-jaxrs needs sse-servlet only optionally (requires static): without this line the servlet
  // write path is not in the module graph and every stream is written by blocking sends.
  requires org.ssekit.servlet;
  requires org.eclipse.jetty.ee11.servlet;

  // The implementations instantiate the Application and the resources, and call resource methods,
  // by reflection on public members: exported to them (no opens: nothing in this package is
  // injected into fields). Jersey: HK2 creates, Jersey's server invokes; RESTEasy 7.0 is one
  // automatic module.
  exports org.ssekit.jpms to
      org.glassfish.hk2.locator,
      org.glassfish.jersey.core.server,
      resteasy.core;

  // A resource with a @Context field: set by deep reflection (HK2's utilities on Jersey, RESTEasy's
  // SPI module), so opened, to those and to the modules that create it and call its methods.
  opens org.ssekit.jpms.fields to
      org.glassfish.hk2.utilities,
      org.glassfish.hk2.locator,
      org.glassfish.jersey.core.server,
      resteasy.core,
      resteasy.core.spi;
}
