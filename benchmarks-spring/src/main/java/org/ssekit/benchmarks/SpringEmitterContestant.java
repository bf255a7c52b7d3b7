package org.ssekit.benchmarks;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A Spring Boot 3.5 application with {@code SseEmitter} as its users write it: each request gets a
 * {@code new SseEmitter(0L)} (no timeout: a stream stays open until the client leaves), kept in a
 * concurrent set and removed on completion, timeout and error, and sent a first comment ({@code
 * :open}) so that its response head goes out at once (Spring writes it with the first event, and
 * the client sees no open stream until then); each event is sent with {@code
 * emitter.send(SseEmitter.event().data(data))} in a loop over the set on the publishing thread, and
 * an emitter whose send fails is removed and completed with the error. No heartbeats: {@code
 * SseEmitter} has none, and the typical application adds none.
 *
 * <p><b>Thread safety:</b> thread-safe; the emitters are a concurrent set and {@code send} is
 * serialised per emitter by Spring.
 */
final class SpringEmitterContestant implements Contestant {
  private final BootServer server = new BootServer(App.class, Map.of());
  private Events events;

  @Override
  public int start() {
    int port = server.start();
    events = server.bean(Events.class);
    return port;
  }

  @Override
  public void publish(String data) {
    events.publish(data);
  }

  @Override
  public int openStreams() {
    return events.emitters.size();
  }

  @Override
  public long cutoffs() {
    return events.cutoffs.get();
  }

  @Override
  public String settings() {
    return "SseEmitter(0L) (no timeout) per request in a ConcurrentHashMap key set, a first"
        + " comment sent on open (Spring sends the head with the first event), removed on"
        + " completion/timeout/error, loop of emitter.send(SseEmitter.event().data(String)) on the"
        + " publishing thread, no heartbeat; "
        + server.settings();
  }

  @Override
  public void stop() {
    server.stop();
  }

  /** The application: auto-configuration and the one controller, no component scan. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Events.class)
  static class App {}

  /** The controller, as the typical application has it. */
  @RestController
  static class Events {
    final Set<SseEmitter> emitters = ConcurrentHashMap.newKeySet();
    final AtomicLong cutoffs = new AtomicLong();

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
      SseEmitter emitter = new SseEmitter(0L);
      emitter.onCompletion(() -> emitters.remove(emitter));
      emitter.onTimeout(() -> emitters.remove(emitter));
      emitter.onError(e -> emitters.remove(emitter));
      emitters.add(emitter);
      try {
        // Spring writes the response head with the first event, not on return; the applications
        // that want the client's "open" at once send a first event or comment, as here.
        emitter.send(SseEmitter.event().comment("open"));
      } catch (IOException e) {
        emitters.remove(emitter);
        emitter.completeWithError(e);
      }
      return emitter;
    }

    void publish(String data) {
      for (SseEmitter emitter : emitters) {
        try {
          emitter.send(SseEmitter.event().data(data));
        } catch (IOException | RuntimeException e) {
          if (emitters.remove(emitter)) {
            cutoffs.incrementAndGet();
          }
          emitter.completeWithError(e);
        }
      }
    }
  }
}
