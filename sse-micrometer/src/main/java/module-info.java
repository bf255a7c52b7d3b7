/**
 * ssekit on Micrometer: a {@link io.micrometer.core.instrument.binder.MeterBinder} for an {@link
 * org.ssekit.SseHub}.
 */
@SuppressWarnings("requires-transitive-automatic") // micrometer-core's module name is automatic
module org.ssekit.micrometer {
  requires transitive org.ssekit;
  // MeterBinder and MeterRegistry appear in SseHubMetrics' signatures.
  requires transitive micrometer.core;

  exports org.ssekit.micrometer;
}
