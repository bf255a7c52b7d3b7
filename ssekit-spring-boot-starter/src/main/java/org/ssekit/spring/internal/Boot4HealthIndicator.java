package org.ssekit.spring.internal;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The hub's health on Spring Boot 4 ({@code org.springframework.boot.health.contributor}).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class Boot4HealthIndicator implements HealthIndicator {
  private final HubHealth health;

  /**
   * Creates an indicator reporting {@code health}.
   *
   * @throws NullPointerException if {@code health} is null
   */
  public Boot4HealthIndicator(HubHealth health) {
    this.health = Objects.requireNonNull(health, "health");
  }

  @Override
  public Health health() {
    return (health.isUp() ? Health.up() : Health.down()).withDetails(health.details()).build();
  }
}
