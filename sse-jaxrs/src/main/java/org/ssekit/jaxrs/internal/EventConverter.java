package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import org.ssekit.ServerSentEvent;

/**
 * Turns a JAX-RS {@link OutboundSseEvent} into the core's {@link ServerSentEvent}, serialising its
 * data once with the application's {@link MessageBodyWriter}.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class EventConverter {
  private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

  private EventConverter() {}

  /**
   * Converts {@code event}; its id is checked and then dropped (topics assign ids).
   *
   * @param providers the application's providers, or null if none were injected (only {@code
   *     String} data can then be sent)
   * @throws IllegalArgumentException if the name or id contains CR or LF, the event has no data, or
   *     no writer can serialise the data
   * @throws java.io.UncheckedIOException if the writer fails
   */
  static ServerSentEvent toEvent(OutboundSseEvent event, Providers providers) {
    ServerSentEvent.Builder builder = ServerSentEvent.builder();
    if (event.getId() != null) {
      ServerSentEvent.builder()
          .id(event.getId()); // the same rule the servlet path applies; then dropped
    }
    builder.event(event.getName());
    if (event.isReconnectDelaySet() && event.getReconnectDelay() >= 0) {
      builder.retry(Duration.ofMillis(event.getReconnectDelay()));
    }
    if (event.getComment() != null) {
      builder.comment(event.getComment());
    }
    if (event.getData() == null) {
      throw new IllegalArgumentException(
          "event has no data: a topic logs events for replay, and sends"
              + " keep-alive comments itself; set data (an empty string sends an empty event)");
    }
    return builder.data(data(event, providers)).build();
  }

  private static String data(OutboundSseEvent event, Providers providers) {
    Object data = event.getData();
    if (data instanceof String) {
      return (String) data; // what every String writer produces, without a round trip
    }
    MediaType mediaType =
        event.getMediaType() != null ? event.getMediaType() : MediaType.TEXT_PLAIN_TYPE;
    Class<?> type = event.getType() != null ? event.getType() : data.getClass();
    java.lang.reflect.Type genericType =
        event.getGenericType() != null ? event.getGenericType() : type;
    if (providers == null) {
      throw new IllegalArgumentException(
          "cannot serialise "
              + type.getName()
              + " as "
              + mediaType
              + ": no JAX-RS Providers were injected (is SseHubFeature registered in this application?)");
    }
    @SuppressWarnings("unchecked")
    MessageBodyWriter<Object> writer =
        (MessageBodyWriter<Object>)
            providers.getMessageBodyWriter(type, genericType, NO_ANNOTATIONS, mediaType);
    if (writer == null) {
      throw new IllegalArgumentException(
          "no MessageBodyWriter for " + type.getName() + " as " + mediaType);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      writer.writeTo(
          data, type, genericType, NO_ANNOTATIONS, mediaType, new MultivaluedHashMap<>(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "serialising " + type.getName() + " as " + mediaType + " failed", e);
    }
    return out.toString(charset(mediaType));
  }

  private static Charset charset(MediaType mediaType) {
    String name = mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
    if (name == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new IllegalArgumentException("unsupported charset in media type: " + mediaType, e);
    }
  }
}
