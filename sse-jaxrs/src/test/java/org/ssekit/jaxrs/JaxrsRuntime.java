package org.ssekit.jaxrs;

import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.sse.OutboundSseEvent;

/**
 * The JAX-RS implementation the scenario suites run on: Jersey here, RESTEasy in {@code
 * sse-jaxrs-resteasy}. Chosen with the system property {@value #PROPERTY} (the class name of an
 * implementation with a public no-argument constructor); Jersey when it is absent. The suites name
 * no implementation class themselves, so that they load without Jersey on the class path.
 */
public interface JaxrsRuntime {
  /** The system property that names the implementation class. */
  String PROPERTY = "ssekit.jaxrs.runtime";

  /** Returns a short name for reports, such as {@code jersey}. */
  String name();

  /** Returns a servlet that serves {@code application}, as the runtime's servlet integration. */
  HttpServlet servlet(Application application);

  /** Returns the runtime's own event builder, as an application's {@code Sse} gives it. */
  OutboundSseEvent.Builder newEventBuilder();

  /**
   * Returns the method (as {@code class.method}) in which the runtime's own sink blocks a thread on
   * a client that stopped reading, for thread dumps.
   */
  String blockingWriteFrame();

  /**
   * Starts {@code application} at {@code /api/} on an HTTP server that is no servlet container, or
   * returns null if the runtime has none under test (the suites then leave those rows out of their
   * matrix, saying so).
   */
  TestServer serverWithoutServlet(Application application);

  /** Whether {@link #serverWithoutServlet} serves. */
  boolean hasServerWithoutServlet();

  /** Returns the runtime the system property names, or Jersey. */
  static JaxrsRuntime current() {
    return Holder.CURRENT;
  }

  /** Loads the runtime once. */
  final class Holder {
    static final JaxrsRuntime CURRENT = load();

    private Holder() {}

    private static JaxrsRuntime load() {
      String name = System.getProperty(PROPERTY, JerseyRuntime.class.getName());
      try {
        JaxrsRuntime runtime =
            (JaxrsRuntime) Class.forName(name).getDeclaredConstructor().newInstance();
        System.out.println("JAX-RS runtime under test: " + runtime.name());
        return runtime;
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException(PROPERTY + " names no JaxrsRuntime: " + name, e);
      }
    }
  }
}
