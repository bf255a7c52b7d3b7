/**
 * ssekit for Spring Boot 3.5 and 4.0: the auto-configuration of a hub from {@code ssekit.*}
 * properties, Spring MVC handler methods returning an {@link org.ssekit.spring.SseStream}, the hub
 * closed before graceful shutdown, and a health indicator. Spring is provided by the application.
 */
@SuppressWarnings("module") // Spring ships automatic modules only
module org.ssekit.spring {
  requires transitive org.ssekit;
  requires transitive org.ssekit.servlet;
  requires static spring.core;
  requires static spring.beans;
  requires static spring.context;
  requires static spring.web;
  requires static spring.webmvc;
  requires static spring.boot;
  requires static spring.boot.autoconfigure;
  requires static spring.boot.actuator;
  requires static spring.boot.health;
  requires static org.ssekit.redis;
  requires static org.ssekit.micrometer;
  requires static micrometer.core;

  exports org.ssekit.spring;

  // Spring instantiates the configuration and binds the properties by reflection.
  opens org.ssekit.spring;
  opens org.ssekit.spring.internal;
}
