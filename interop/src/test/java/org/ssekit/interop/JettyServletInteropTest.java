package org.ssekit.interop;

/** The interop matrix of sse-servlet on embedded Jetty 12.1 ee11. */
class JettyServletInteropTest extends InteropSuite {
  @Override
  ServerPath newPath() {
    return new JettyServletPath();
  }
}
