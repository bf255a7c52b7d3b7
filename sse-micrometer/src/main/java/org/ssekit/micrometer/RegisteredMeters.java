package org.ssekit.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters a binder registered, in every registry it was bound to, so that closing the binder
 * removes exactly those: {@link SseHubMetrics} and {@link RedisLogMetrics} share it.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RegisteredMeters {
  private record Registered(MeterRegistry registry, Meter meter) {}

  private final List<Registered> registered = new CopyOnWriteArrayList<>();

  /** Remembers that {@code meter} was registered in {@code registry}. */
  void add(MeterRegistry registry, Meter meter) {
    registered.add(new Registered(registry, meter));
  }

  /** Removes every remembered meter from its registry, and forgets them. */
  void removeAll() {
    for (Registered each : registered) {
      each.registry.remove(each.meter);
    }
    registered.clear();
  }
}
