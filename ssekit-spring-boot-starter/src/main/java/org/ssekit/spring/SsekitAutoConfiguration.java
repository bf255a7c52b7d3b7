package org.ssekit.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.EventLog;
import org.ssekit.SseHub;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.spring.internal.Boot3HealthIndicator;
import org.ssekit.spring.internal.Boot4HealthIndicator;
import org.ssekit.spring.internal.HubHealth;
import org.ssekit.spring.internal.HubLifecycle;
import org.ssekit.spring.internal.LogHealth;
import org.ssekit.spring.internal.PropertySettings;
import org.ssekit.spring.internal.RedisLogHealth;
import org.ssekit.spring.internal.RedisLogMeters;
import org.ssekit.spring.internal.RedisLogs;
import org.ssekit.spring.internal.ReturnValueHandlerInstaller;
import org.ssekit.spring.internal.SseStreamReturnValueHandler;

/**
 * Spring Boot auto-configuration of ssekit, for Boot 3.5 and 4.0 alike.
 *
 * <ul>
 *   <li>An {@link SseHub} bean built from {@link SsekitProperties} ({@code ssekit.*}), unless the
 *       application defines its own; on an {@link EventLog} bean if there is one, else on a Redis
 *       log if {@code ssekit.redis.uri} is set (sse-redis must be on the class path), else in
 *       memory; then changed by the application's {@link SseHubCustomizer} beans, in order.
 *   <li>The hub closed when the context stops, before the web server's graceful shutdown waits for
 *       requests, so every stream gets its jittered {@code retry:} and ends at once.
 *   <li>In a servlet web application: a {@link ServletStreams} bean, and Spring MVC handler methods
 *       that return an {@link SseStream} served by it, non-blockingly.
 *   <li>With Spring Boot Actuator: a health indicator named {@code ssekit} (disable with {@code
 *       management.health.ssekit.enabled=false}), down while the hub is closed or its Redis log
 *       cannot reach Redis.
 *   <li>With sse-micrometer: the hub's meters, and the Redis log's when the log is Redis.
 * </ul>
 *
 * <p>Exclude it as any auto-configuration ({@code spring.autoconfigure.exclude}).
 *
 * <p><b>Thread safety:</b> used by Spring at start only.
 */
@AutoConfiguration
@EnableConfigurationProperties(SsekitProperties.class)
public final class SsekitAutoConfiguration {
  /** Called by Spring. */
  public SsekitAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  SseHub sseHub(
      SsekitProperties properties,
      ObjectProvider<EventLog> eventLog,
      ObjectProvider<SseHubCustomizer> customizers) {
    EventLog log = eventLog.getIfUnique();
    if (log == null && properties.getRedis().getUri() != null) {
      throw new IllegalStateException(
          "ssekit.redis.uri is set but org.ssekit:sse-redis is not on the class path:"
              + " add it, or unset ssekit.redis.uri");
    }
    SseHub.Builder hub = PropertySettings.hubBuilder(properties, log);
    customizers.orderedStream().forEach(customizer -> customizer.customize(hub));
    return hub.build();
  }

  @Bean
  HubLifecycle ssekitHubLifecycle(SseHub hub) {
    return new HubLifecycle(hub);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.ssekit.redis.RedisEventLog")
  @ConditionalOnProperty(prefix = "ssekit.redis", name = "uri")
  @ConditionalOnMissingBean({EventLog.class, SseHub.class})
  static class RedisLogConfiguration {
    @Bean
    EventLog ssekitRedisEventLog(SsekitProperties properties) {
      // Closed by the hub, which owns its log; closing it again on destruction is safe.
      return RedisLogs.connect(properties);
    }
  }

  /**
   * With sse-redis on the class path: the health of the application's event log if it is a Redis
   * log (Redis reachable or not), which the {@code ssekit} health indicator reports. Referenced by
   * name so that sse-redis is not needed otherwise.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.ssekit.redis.RedisEventLog")
  static class RedisHealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "ssekitLogHealth")
    LogHealth ssekitLogHealth(ObjectProvider<EventLog> eventLog) {
      return RedisLogHealth.of(eventLog.getIfUnique());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(RequestMappingHandlerAdapter.class)
  static class MvcConfiguration {
    @Bean
    @ConditionalOnMissingBean
    ServletStreams servletStreams(
        SseHub hub,
        SsekitProperties properties,
        ObjectProvider<Authorizer> authorizer,
        ObjectProvider<Cors> cors) {
      // Spring Security (or any login) sets the request's principal and roles, which the
      // application's Authorizer bean reads: no glue between the two.
      return PropertySettings.streams(
          hub, properties, authorizer.getIfUnique(), cors.getIfUnique());
    }

    @Bean
    SseStreamReturnValueHandler ssekitSseStreamReturnValueHandler(ServletStreams streams) {
      return new SseStreamReturnValueHandler(streams);
    }

    @Bean
    ReturnValueHandlerInstaller ssekitReturnValueHandlerInstaller(
        ObjectProvider<RequestMappingHandlerAdapter> adapters,
        SseStreamReturnValueHandler handler) {
      return new ReturnValueHandlerInstaller(adapters, handler);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(
      prefix = "management.health.ssekit",
      name = "enabled",
      matchIfMissing = true)
  static class Boot3HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "ssekitHealthIndicator")
    Boot3HealthIndicator ssekitHealthIndicator(
        SseHub hub, HubLifecycle lifecycle, ObjectProvider<LogHealth> log) {
      return new Boot3HealthIndicator(
          new HubHealth(hub, lifecycle, log.getIfAvailable(() -> LogHealth.NONE)));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(
      prefix = "management.health.ssekit",
      name = "enabled",
      matchIfMissing = true)
  static class Boot4HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "ssekitHealthIndicator")
    Boot4HealthIndicator ssekitHealthIndicator(
        SseHub hub, HubLifecycle lifecycle, ObjectProvider<LogHealth> log) {
      return new Boot4HealthIndicator(
          new HubHealth(hub, lifecycle, log.getIfAvailable(() -> LogHealth.NONE)));
    }
  }

  /**
   * With sse-micrometer and Micrometer on the class path: the hub's meters, as a {@code
   * MeterBinder} bean, which Boot binds to every {@code MeterRegistry} it configures (Boot 3 and 4
   * alike). Referenced by name so that neither is needed otherwise.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.ssekit.micrometer.SseHubMetrics",
        "io.micrometer.core.instrument.binder.MeterBinder"
      })
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    org.ssekit.micrometer.SseHubMetrics ssekitHubMetrics(SseHub hub) {
      return org.ssekit.micrometer.SseHubMetrics.builder(hub).build();
    }
  }

  /**
   * With sse-redis too: the Redis log's meters ({@code RedisLogMetrics}, tagged {@code hub}) when
   * the application's event log is a Redis log (the one {@code ssekit.redis.uri} builds, or its own
   * {@code RedisEventLog} bean).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.ssekit.micrometer.RedisLogMetrics",
        "org.ssekit.redis.RedisEventLog",
        "io.micrometer.core.instrument.binder.MeterBinder"
      })
  static class RedisMetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "ssekitRedisLogMeters")
    RedisLogMeters ssekitRedisLogMeters(ObjectProvider<EventLog> eventLog, SseHub hub) {
      return new RedisLogMeters(eventLog.getIfUnique(), hub);
    }
  }
}
