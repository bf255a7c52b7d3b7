package org.ssekit.benchmarks;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopic;

/**
 * ssekit's JAX-RS adapter on Jersey: an {@code @SseTopic} resource method; events go to the hub. At
 * {@link TopicSpread#PATH} a second method streams the topics its request names ({@code
 * ?topic=3&topic=4...}) through an {@code @SseTopic} query placeholder.
 *
 * <p><b>Thread safety:</b> thread-safe, as the hub is.
 */
final class SsekitJaxrsContestant implements Contestant {
  private final Container container;
  private final SseHub hub;

  SsekitJaxrsContestant(Container container, int keepAliveSeconds) {
    this.container = container;
    this.hub =
        SseHub.builder().name("bench").keepAlive(Duration.ofSeconds(keepAliveSeconds)).build();
  }

  @Override
  public int start() throws Exception {
    ResourceConfig config =
        new ResourceConfig()
            .register(SsekitJaxrsContestant.TopicResource.class)
            .register(SsekitJaxrsContestant.MultiTopicResource.class)
            .register(SseHubFeature.of(hub));
    return container.servlet("/*", new ServletContainer(config), Map.of()).start();
  }

  @Override
  public void publish(String data) {
    hub.publish(Server.TOPIC, ServerSentEvent.of(data));
  }

  @Override
  public void publish(int topic, String data) {
    hub.publish(TopicSpread.name(topic), ServerSentEvent.of(data));
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
    return "Jersey "
        + JerseyVersion.get()
        + " with SseHubFeature and @SseTopic, "
        + SsekitServletContestant.hubSettings(hub)
        + "; "
        + container.settings();
  }

  @Override
  public void stop() throws Exception {
    hub.close();
    container.stop();
  }

  /** The resource: the topic owns the stream. */
  @Path("events")
  public static final class TopicResource {
    /** Streams the benchmark topic. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic(Server.TOPIC)
    public void events(@Context SseEventSink sink) {
      // The topic owns the stream.
    }
  }

  /**
   * The multi-topic resource: one stream of every topic named in the query, one entry per {@code
   * topic} value ({@link TopicSpread}).
   */
  @Path("multi")
  public static final class MultiTopicResource {
    /** Streams the named topics as one stream. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("multi/{topic}")
    public void events(@QueryParam("topic") List<String> topics, @Context SseEventSink sink) {
      // The topics own the stream.
    }
  }
}
