package org.ssekit.benchmarks;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlets.EventSource;
import org.eclipse.jetty.ee11.servlets.EventSourceServlet;

/**
 * Jetty 12's {@code EventSourceServlet} (ee11; the same class as in ee10) used as its users do: the
 * emitters are kept in a concurrent set and each event is sent with {@code emitter.data(String)} in
 * a loop over them. Heartbeats every keep-alive period ({@code heartBeatPeriod}).
 *
 * <p><b>Thread safety:</b> thread-safe; the emitters are a concurrent set.
 */
final class JettyEventSourceContestant implements Contestant {
  private final Container container;
  private final int heartBeatSeconds;
  private final Set<EventSource.Emitter> emitters = ConcurrentHashMap.newKeySet();
  private final AtomicLong cutoffs = new AtomicLong();

  JettyEventSourceContestant(Container container, int heartBeatSeconds) {
    this.container = container;
    this.heartBeatSeconds = heartBeatSeconds;
  }

  @Override
  public int start() throws Exception {
    return container
        .servlet(
            "/events", new Servlet(), Map.of("heartBeatPeriod", Integer.toString(heartBeatSeconds)))
        .start();
  }

  @Override
  public void publish(String data) {
    for (EventSource.Emitter emitter : emitters) {
      try {
        emitter.data(data);
      } catch (IOException | RuntimeException e) {
        if (emitters.remove(emitter)) {
          cutoffs.incrementAndGet();
        }
        emitter.close();
      }
    }
  }

  @Override
  public int openStreams() {
    return emitters.size();
  }

  @Override
  public long cutoffs() {
    return cutoffs.get();
  }

  @Override
  public String settings() {
    return "EventSourceServlet, heartBeatPeriod "
        + heartBeatSeconds
        + " s, loop of emitter.data(String); "
        + container.settings();
  }

  @Override
  public void stop() throws Exception {
    container.stop();
  }

  private final class Servlet extends EventSourceServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected EventSource newEventSource(HttpServletRequest request) {
      return new EventSource() {
        private volatile Emitter emitter;

        @Override
        public void onOpen(Emitter emitter) {
          this.emitter = emitter;
          emitters.add(emitter);
        }

        @Override
        public void onClose() {
          Emitter opened = emitter;
          if (opened != null) {
            emitters.remove(opened);
          }
        }
      };
    }
  }
}
