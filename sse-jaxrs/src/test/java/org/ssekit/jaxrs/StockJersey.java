package org.ssekit.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.server.ResourceConfig;

/** Stock Jersey SSE, as its documentation shows it: no ssekit anywhere in this application. */
@Path("/")
public class StockJersey {
  @Context private Sse sse;
  private SseBroadcaster broadcaster;
  final AtomicInteger registered = new AtomicInteger();
  final BlockingQueue<SseEventSink> sinks = new LinkedBlockingQueue<>();

  /** Returns an application that serves this resource only. */
  static Application application(StockJersey resource) {
    return new ResourceConfig().registerInstances(resource);
  }

  synchronized SseBroadcaster broadcaster() {
    if (broadcaster == null) {
      broadcaster = sse.newBroadcaster();
    }
    return broadcaster;
  }

  /** The broadcaster idiom: the sink joins {@link #broadcaster()}. */
  @GET
  @Path("sse")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void subscribe(@Context SseEventSink sink) {
    broadcaster().register(sink);
    registered.incrementAndGet();
  }

  /** The sink idiom: the test sends to the sink itself. */
  @GET
  @Path("sink")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void sink(@Context SseEventSink sink) {
    sinks.add(sink);
  }

  /** The stock way to have nothing to stream: close the sink at once. */
  @GET
  @Path("closed")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void closed(@Context SseEventSink sink) {
    sink.close();
  }
}
