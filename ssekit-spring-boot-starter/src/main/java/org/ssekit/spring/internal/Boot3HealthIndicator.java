package org.ssekit.spring.internal;

import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The hub's health on Spring Boot 3 ({@code org.springframework.boot.actuate.health}).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class Boot3HealthIndicator implements HealthIndicator {
  private final HubHealth health;

  /**
   * Creates an indicator reporting {@code health}.
   *
   * @throws NullPointerException if {@code health} is null
   */
  public Boot3HealthIndicator(HubHealth health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public Health health() {
    return (health.isUp() ? Health.up() : Health.down()).withDetails(health.details()).build();
  }
}
