package org.ssekit.interop;

/** The interop matrix of sse-servlet on embedded Tomcat 11. */
class TomcatServletInteropTest extends InteropSuite {
  @Override
  ServerPath newPath() {
    return new TomcatServletPath();
  }
}
