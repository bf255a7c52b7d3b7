package org.ssekit.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stock RESTEasy SSE, as the Jakarta REST specification shows it: no ssekit in this application.
 */
@Path("/")
public class StockRestEasy {
  private SseBroadcaster broadcaster; // @GuardedBy("this")
  final AtomicInteger registered = new AtomicInteger();
  final AtomicInteger goneRequests = new AtomicInteger();
  final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  final AtomicInteger closed = new AtomicInteger();
  final BlockingQueue<SseEventSink> sinks = new LinkedBlockingQueue<>();

  /** Returns an application that serves this resource only. */
  static Application application(StockRestEasy resource) {
    return new Application() {
      @Override
      @SuppressWarnings("deprecation") // the Application API of Jakarta REST 3.1, which 4.0 keeps
      public Set<Object> getSingletons() {
        return Set.of(resource);
      }
    };
  }

  /** The broadcaster, created from the {@code Sse} of the first stream request. */
  synchronized SseBroadcaster broadcaster() {
    if (broadcaster == null) {
      throw new IllegalStateException("no stream request yet: the broadcaster comes from its Sse");
    }
    return broadcaster;
  }

  private synchronized SseBroadcaster broadcaster(Sse sse) {
    if (broadcaster == null) {
      broadcaster = sse.newBroadcaster();
      broadcaster.onError((sink, error) -> errors.add(error));
      broadcaster.onClose(sink -> closed.incrementAndGet());
    }
    return broadcaster;
  }

  /** The broadcaster idiom: the sink joins {@link #broadcaster()}. */
  @GET
  @Path("sse")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void subscribe(@Context SseEventSink sink, @Context Sse sse) {
    broadcaster(sse).register(sink);
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

  /** A {@code 204}, as a server tells an event source to stop; counts the requests. */
  @GET
  @Path("gone")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public Response gone() {
    goneRequests.incrementAndGet();
    return Response.noContent().build();
  }
}
