package org.ssekit.jaxrs;

import jakarta.ws.rs.core.Application;
import java.util.List;
import java.util.Set;

/**
 * A JAX-RS application of resource and provider classes and instances, in the standard form that
 * every runtime's servlet takes (Jersey's {@code ResourceConfig.forApplication}, RESTEasy's
 * deployment).
 */
final class TestApplication extends Application {
  private final Set<Class<?>> classes;
  private final Set<Object> singletons;

  TestApplication(List<Class<?>> classes, List<Object> singletons) {
    this.classes = Set.copyOf(classes);
    this.singletons = Set.copyOf(singletons);
  }

  @Override
  public Set<Class<?>> getClasses() {
    return classes;
  }

  @Override
  public Set<Object> getSingletons() {
    return singletons;
  }
}
