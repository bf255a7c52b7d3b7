package org.ssekit.samples;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Logouts} of one process, in memory, on its clock: a logout here revokes cookies
 * verified here only.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class LocalLogouts implements Logouts {
  private final Clock clock;
  private final long lifetimeMillis;

  /** Per name, the epoch ms of its last logout. */
  private final Map<String, Long> loggedOutAt = new ConcurrentHashMap<>();

  LocalLogouts(Clock clock, Duration lifetime) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lifetimeMillis = lifetime.toMillis();
  }

  @Override
  public long issueMillis(String name) {
    // After the name's last logout even within its millisecond, which revokes up to it.
    return Math.max(clock.millis(), lastLogoutMillis(name) + 1);
  }

  @Override
  public long logOut(String name) {
    long now = clock.millis();
    // Past the last logout too: a login just after it was issued at its millisecond + 1.
    long at = loggedOutAt.merge(name, now, (last, next) -> Math.max(next, last + 1));
    // Past one lifetime every cookie issued before a logout has expired anyway.
    loggedOutAt.values().removeIf(logout -> logout + lifetimeMillis < now);
    return at;
  }

  @Override
  public long lastLogoutMillis(String name) {
    return loggedOutAt.getOrDefault(name, -1L);
  }

  @Override
  public void close() {
    // Nothing held.
  }
}
