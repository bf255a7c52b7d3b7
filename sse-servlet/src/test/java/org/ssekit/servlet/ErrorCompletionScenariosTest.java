package org.ssekit.servlet;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/** The error-completion scenario on Jetty 12.1 ee11 and Tomcat 11 (Servlet 6.1). */
class ErrorCompletionScenariosTest extends ErrorCompletionScenarios {
  @Override
  protected Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jetty-ee11", JettyEe11Container::new),
        Named.of("tomcat-11", TomcatContainer::new));
  }
}
