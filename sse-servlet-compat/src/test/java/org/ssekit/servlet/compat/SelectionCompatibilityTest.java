package org.ssekit.servlet.compat;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.ssekit.servlet.SelectionScenarios;
import org.ssekit.testkit.JettyEe10Container;
import org.ssekit.testkit.TestContainer;

/**
 * The selection scenarios on a Servlet 6.0 container: Jetty 12.1 ee10. Not on Tomcat 10.1: there an
 * answer written before a stream's first byte (the refusal's {@code retry:}, a 400) never ends, the
 * existing {@code RefusalScenarios} included (found while adding this suite; a defect of its own).
 */
class SelectionCompatibilityTest extends SelectionScenarios {
  @Override
  protected Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(Named.of("jetty-ee10", JettyEe10Container::new));
  }
}
