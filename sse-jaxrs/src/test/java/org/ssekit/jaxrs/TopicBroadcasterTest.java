package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.SseHub;

/**
 * The broadcaster's JAX-RS contract and the checks of {@link SseTopic} methods, without a server.
 */
class TopicBroadcasterTest {
  private final SseHub hub = SseHub.builder().name("unit").build();
  private final SseTopics topics = SseHubFeature.of(hub).topics();

  @AfterEach
  void closeHub() {
    hub.close();
  }

  @Test
  void aClosedBroadcasterRefusesEverythingButClose() {
    SseBroadcaster broadcaster = topics.broadcaster("t");
    broadcaster.close();
    broadcaster.close();
    assertThatThrownBy(() -> broadcaster.broadcast(new OutboundEvent.Builder().data("x").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is closed: create a new broadcaster");
    assertThatThrownBy(() -> broadcaster.onClose(sink -> {}))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> broadcaster.register(new org.ssekit.jaxrs.internal.SinkRegistryTest.EqualSink()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void argumentsAreChecked() {
    SseBroadcaster broadcaster = topics.broadcaster("t");
    assertThatThrownBy(() -> broadcaster.broadcast(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("event");
    assertThatThrownBy(() -> broadcaster.register(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sink");
    assertThatThrownBy(() -> topics.broadcaster(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must be 1-1024 chars: length 0");
    assertThatThrownBy(
            () -> broadcaster.broadcast(new OutboundEvent.Builder().comment("ping").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event has no data");
  }

  @Test
  void broadcastingOnAClosedHubFailsTheStage() {
    SseBroadcaster broadcaster = topics.broadcaster("t");
    hub.close();
    assertThat(
            broadcaster
                .broadcast(new OutboundEvent.Builder().data("x").build())
                .toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void theTopicsAreFoundInTheApplicationsConfiguration() {
    SseHubFeature feature = SseHubFeature.of(hub);
    ApplicationHandler application = new ApplicationHandler(new ResourceConfig().register(feature));
    assertThat(SseTopics.from(application.getConfiguration())).isSameAs(feature.topics());
    assertThatThrownBy(() -> SseTopics.from(new ResourceConfig()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no SseHubFeature in this application: register SseHubFeature.of(hub) in its Application or"
                + " ResourceConfig");
  }

  @Path("bad")
  public static class HasNoSink {
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("x")
    public void stream() {}
  }

  @Path("bad/{room}")
  public static class NamesAnUnknownParameter {
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("room-{rom}")
    public void stream(@Context SseEventSink sink) {}
  }

  @Test
  void aMisdeclaredSseTopicMethodFailsTheApplicationAtStart() {
    assertThatThrownBy(
            () ->
                new ApplicationHandler(
                    new ResourceConfig(HasNoSink.class).register(SseHubFeature.of(hub))))
        .hasStackTraceContaining(
            "@SseTopic method "
                + HasNoSink.class.getName()
                + ".stream must take a @Context SseEventSink parameter");
    assertThatThrownBy(
            () ->
                new ApplicationHandler(
                    new ResourceConfig(NamesAnUnknownParameter.class)
                        .register(SseHubFeature.of(hub))))
        .hasStackTraceContaining(
            "{rom} in \"room-{rom}\" is not a path parameter; the path has [room]");
  }
}
