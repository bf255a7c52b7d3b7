package org.ssekit.benchmarks;

/**
 * The harness's entry to the Spring Boot contestants: {@code Contestant.create} reaches this class
 * by name, because it lives on another class path than the harness's other contestants.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class SpringContestants {
  private SpringContestants() {}

  /**
   * Creates the Spring contestant called {@code name}.
   *
   * @param name {@code spring-emitter} or {@code ssekit-spring}
   * @param keepAliveSeconds the keep-alive period of the contestant that has keep-alives
   * @return the contestant, not started
   * @throws IllegalArgumentException if {@code name} is not a Spring contestant
   */
  public static Object create(String name, int keepAliveSeconds) {
    switch (name) {
      case "spring-emitter":
        return new SpringEmitterContestant();
      case "ssekit-spring":
        return new SsekitSpringContestant(keepAliveSeconds);
      default:
        throw new IllegalArgumentException("not a Spring contestant: " + name);
    }
  }
}
