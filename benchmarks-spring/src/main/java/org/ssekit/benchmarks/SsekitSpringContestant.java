package org.ssekit.benchmarks;

import java.util.Map;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.spring.SseStream;

/**
 * The same Spring Boot 3.5 application on ssekit-spring-boot-starter: the controller returns {@code
 * SseStream.of(topic)} and each event is published with {@code hub.publish}. The hub is the
 * starter's auto-configured one with its defaults; only {@code ssekit.keep-alive} is set, to the
 * harness's keep-alive period, as for every contestant that has keep-alives.
 *
 * <p><b>Thread safety:</b> thread-safe, as the hub is.
 */
final class SsekitSpringContestant implements Contestant {
  private final BootServer server;
  private SseHub hub;

  SsekitSpringContestant(int keepAliveSeconds) {
    server = new BootServer(App.class, Map.of("ssekit.keep-alive", keepAliveSeconds + "s"));
  }

  @Override
  public int start() {
    int port = server.start();
    hub = server.bean(SseHub.class);
    return port;
  }

  @Override
  public void publish(String data) {
    hub.publish(Server.TOPIC, ServerSentEvent.of(data));
  }

  @Override
  public int openStreams() {
    return hub.stats().subscribers();
  }

  @Override
  public long cutoffs() {
    return SsekitServletContestant.cutoffs(hub);
  }

  @Override
  public boolean replays() {
    return true;
  }

  @Override
  public String settings() {
    return "ssekit-spring-boot-starter, a controller returning SseStream.of(topic), hub.publish; "
        + SsekitServletContestant.hubSettings(hub)
        + "; "
        + server.settings();
  }

  @Override
  public void stop() {
    server.stop(); // closes the hub first (the starter's lifecycle), then the web server
  }

  /** The application: auto-configuration and the one controller, no component scan. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Events.class)
  static class App {}

  /** The controller. */
  @RestController
  static class Events {
    @GetMapping("/events")
    SseStream events() {
      return SseStream.of(Server.TOPIC);
    }
  }
}
