package org.ssekit.jaxrs;

/** Which rows of a suite's matrix the runtime under test has. */
final class Rows {
  private Rows() {}

  /**
   * Whether the runtime has a server without servlet container under test; if not, says so once per
   * suite, so that the rows left out are visible in the test output.
   */
  static boolean withoutServlet(String suite) {
    JaxrsRuntime runtime = JaxrsRuntime.current();
    if (runtime.hasServerWithoutServlet()) {
      return true;
    }
    System.out.println(
        suite
            + ": no rows without servlet container on "
            + runtime.name()
            + ": only its servlet integration is under test (the sink write path is Jersey's)");
    return false;
  }
}
