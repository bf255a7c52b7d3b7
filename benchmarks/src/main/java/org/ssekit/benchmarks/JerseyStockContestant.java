package org.ssekit.benchmarks;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey's stock SSE: a resource registers each {@code SseEventSink} with one {@code
 * Sse.newBroadcaster()}, and events are sent with {@code broadcaster.broadcast(event)}.
 *
 * <p><b>Thread safety:</b> thread-safe; the broadcaster is created once under the resource's lock.
 */
final class JerseyStockContestant implements Contestant {
  private final Container container;
  private final BroadcastResource resource = new BroadcastResource();

  JerseyStockContestant(Container container) {
    this.container = container;
  }

  @Override
  public int start() throws Exception {
    ResourceConfig config = new ResourceConfig().register(resource);
    return container.servlet("/*", new ServletContainer(config), Map.of()).start();
  }

  @Override
  public void publish(String data) {
    resource.broadcast(data);
  }

  @Override
  public int openStreams() {
    return resource.open.get();
  }

  @Override
  public long cutoffs() {
    return resource.errors.get();
  }

  @Override
  public String settings() {
    return "Jersey "
        + JerseyVersion.get()
        + " Sse.newBroadcaster(), broadcast(OutboundSseEvent); "
        + container.settings();
  }

  @Override
  public void stop() throws Exception {
    container.stop();
  }

  /** The resource, as Jersey's SSE documentation shows it; one instance (a singleton). */
  @Path("events")
  public static final class BroadcastResource {
    private final Object lock = new Object();
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong errors = new AtomicLong();
    // @GuardedBy("lock"); set once by the first request
    private Sse sse;
    private SseBroadcaster broadcaster;

    /** Subscribes the client to the broadcaster. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@Context SseEventSink sink, @Context Sse requestSse) {
      SseBroadcaster target;
      synchronized (lock) {
        if (broadcaster == null) {
          sse = requestSse;
          broadcaster = requestSse.newBroadcaster();
          broadcaster.onClose(closed -> open.decrementAndGet());
          broadcaster.onError(
              (failed, error) -> {
                errors.incrementAndGet();
              });
        }
        target = broadcaster;
      }
      open.incrementAndGet();
      target.register(sink);
    }

    void broadcast(String data) {
      Sse events;
      SseBroadcaster target;
      synchronized (lock) {
        events = sse;
        target = broadcaster;
      }
      if (target != null) {
        target.broadcast(events.newEventBuilder().data(data).build());
      }
    }
  }
}
