package org.ssekit.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;
import org.ssekit.ServerSentEvent;

class EventConverterTest {
  @Test
  void fieldsAreCarriedOverAndTheIdIsLeftToTheLog() {
    ServerSentEvent event =
        EventConverter.toEvent(
            new OutboundEvent.Builder()
                .id("7")
                .name("n")
                .comment("c")
                .reconnectDelay(1500)
                .data("d")
                .build(),
            null);
    assertThat(event)
        .isEqualTo(
            ServerSentEvent.builder()
                .event("n")
                .comment("c")
                .retry(Duration.ofMillis(1500))
                .data("d")
                .build());
  }

  @Test
  void stringDataIsSentAsIsWhateverItsMediaType() {
    ServerSentEvent event =
        EventConverter.toEvent(
            new OutboundEvent.Builder()
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data("{\"a\":1}")
                .build(),
            null);
    assertThat(event.data()).isEqualTo("{\"a\":1}");
  }

  @Test
  void lineBreaksInNamesAndIdsAreRejected() {
    assertThatThrownBy(
            () ->
                EventConverter.toEvent(
                    new OutboundEvent.Builder().name("a\r\nb").data("").build(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0d at 1 in event: CR and LF are not allowed");
    assertThatThrownBy(
            () ->
                EventConverter.toEvent(new OutboundEvent.Builder().id("\n").data("").build(), null))
        .hasMessage("unexpected char 0x0a at 0 in id: CR and LF are not allowed");
  }

  @Test
  void anEventWithoutDataIsRejected() {
    assertThatThrownBy(
            () -> EventConverter.toEvent(new OutboundEvent.Builder().comment("ping").build(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("event has no data");
  }

  @Test
  void objectDataNeedsTheApplicationsProviders() {
    assertThatThrownBy(
            () ->
                EventConverter.toEvent(
                    new OutboundEvent.Builder()
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(Integer.class, 5)
                        .build(),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot serialise java.lang.Integer as application/json: no JAX-RS Providers");
  }
}
