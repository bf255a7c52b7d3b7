/**
 * ssekit on Micrometer: a {@link io.micrometer.core.instrument.binder.MeterBinder} for an {@link
 * org.ssekit.SseHub}, and one for an sse-redis log.
 */
@SuppressWarnings("requires-transitive-automatic") // micrometer-core's module name is automatic
module org.ssekit.micrometer {
  requires transitive org.ssekit;
  // MeterBinder and MeterRegistry appear in SseHubMetrics' signatures.
  requires transitive micrometer.core;
  // Only RedisLogMetrics needs sse-redis, which the application adds when its log is on Redis.
  requires static org.ssekit.redis;

  exports org.ssekit.micrometer;
}
