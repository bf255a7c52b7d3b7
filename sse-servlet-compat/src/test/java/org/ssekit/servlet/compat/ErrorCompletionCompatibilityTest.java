package org.ssekit.servlet.compat;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.ssekit.servlet.ErrorCompletionScenarios;
import org.ssekit.testkit.JettyEe10Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/** The error-completion scenario on Servlet 6.0 containers: Jetty 12.1 ee10 and Tomcat 10.1. */
class ErrorCompletionCompatibilityTest extends ErrorCompletionScenarios {
  @Override
  protected Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jetty-ee10", JettyEe10Container::new),
        Named.of("tomcat-10.1", TomcatContainer::new));
  }
}
