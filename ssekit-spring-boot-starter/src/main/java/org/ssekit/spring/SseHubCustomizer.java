package org.ssekit.spring;

import org.ssekit.SseHub;

/**
 * Changes the auto-configured hub's builder after the {@code ssekit.*} properties were applied and
 * before the hub is built: for what no property sets ({@link SseHub.Builder#presenceTopics}, a
 * custom {@link org.ssekit.EventLog}, latency sampling) or for values computed at start. Declare
 * one or more as beans; they run in {@link org.springframework.core.annotation.Order} order, a
 * later one seeing (and able to overwrite) what an earlier one set.
 *
 * <pre>{@code
 * @Bean
 * SseHubCustomizer presence() {
 *   return hub -> hub.presenceTopics(Selection.of("rooms/*"));
 * }
 * }</pre>
 *
 * <p>Not applied when the application declares its own {@link SseHub} bean: that hub is built by
 * the application, not by the starter.
 *
 * <p><b>Thread safety:</b> called once, on the thread that starts the application context.
 */
@FunctionalInterface
public interface SseHubCustomizer {
  /**
   * Changes {@code hub}, the builder of the hub the starter is about to build.
   *
   * @throws IllegalArgumentException (from the builder) for a value the hub refuses: the
   *     application fails to start
   */
  void customize(SseHub.Builder hub);
}
