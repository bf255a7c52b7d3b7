package org.ssekit.interop;

/**
 * The interop matrix of sse-jaxrs on Jersey 4, in Jersey's servlet container on embedded Jetty 12.1
 * ee11.
 */
class JerseyJaxrsInteropTest extends InteropSuite {
  @Override
  ServerPath newPath() {
    return new JerseyPath();
  }
}
