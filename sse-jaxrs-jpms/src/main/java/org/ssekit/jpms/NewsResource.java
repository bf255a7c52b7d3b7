package org.ssekit.jpms;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.ServerSentEvent;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopic;

/** Streams of hub topics, a publisher, and a report on the modules the classes run in. */
@Path("/")
public class NewsResource {
  /** Created by the JAX-RS implementation, once per request. */
  public NewsResource() {}

  /** The news stream. */
  @GET
  @Path("news")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @SseTopic("news")
  public void news(@Context SseEventSink sink) {}

  /** A closed topic's stream: refused with 204. */
  @GET
  @Path("archive")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @SseTopic("archive")
  public void archive(@Context SseEventSink sink) {}

  /** A room's stream: a room named with {@code *} is refused with 400. */
  @GET
  @Path("rooms/{room}")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @SseTopic({"rooms/{room}", "lobby"})
  public void room(@Context SseEventSink sink) {}

  /** Publishes the body to the news topic and returns the event's id. */
  @POST
  @Path("news")
  @Produces(MediaType.TEXT_PLAIN)
  public String publish(String data)
      throws InterruptedException, ExecutionException, TimeoutException {
    return NewsApplication.HUB
        .publish("news", ServerSentEvent.of(data))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** Where the classes run: each line is {@code <what>=<module name or "unnamed">}. */
  @GET
  @Path("modules")
  @Produces(MediaType.TEXT_PLAIN)
  public String modules() {
    return "ssekit-jaxrs="
        + name(SseHubFeature.class.getModule())
        + "\nresource="
        + name(NewsResource.class.getModule())
        + "\njaxrs-api="
        + name(GET.class.getModule())
        + "\nimplementation="
        + name(implementationModule())
        + "\nssekit-servlet="
        + ModuleLayer.boot().findModule("org.ssekit.servlet").isPresent()
        + "\nsend-threads="
        + sendThreads()
        + "\nnews-subscribers="
        + NewsApplication.HUB.subscriberCount("news")
        + "\n";
  }

  /**
   * Counts the threads of sse-jaxrs's blocking send pool, which exists only while streams are
   * written without the servlet write path.
   */
  private static long sendThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().contains("-jaxrs-send-"))
        .count();
  }

  private static Module implementationModule() {
    return jakarta.ws.rs.ext.RuntimeDelegate.getInstance().getClass().getModule();
  }

  private static String name(Module module) {
    return module.isNamed() ? module.getName() : "unnamed";
  }
}
