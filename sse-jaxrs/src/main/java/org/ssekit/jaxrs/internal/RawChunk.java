package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;

/**
 * Bytes the core encoded (events, comments, {@code retry:} lines), sent through {@code
 * SseEventSink.send} and written verbatim by {@link RawChunkWriter}, so the stream is
 * byte-identical to the servlet path's. Not an event in the JAX-RS sense: every field is absent.
 *
 * <p><b>Thread safety:</b> immutable; the array is never modified.
 */
final class RawChunk implements OutboundSseEvent {
  final byte[] bytes;

  /** {@code bytes} end with LF; it is owned by this chunk from now on. */
  RawChunk(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public String getId() {
    return null;
  }

  @Override
  public String getName() {
    return null;
  }

  @Override
  public String getComment() {
    return null;
  }

  @Override
  public long getReconnectDelay() {
    return RECONNECT_NOT_SET;
  }

  @Override
  public boolean isReconnectDelaySet() {
    return false;
  }

  /**
   * Null: if Jersey's own event writer were ever chosen, it would write nothing rather than
   * garbage.
   */
  @Override
  public Class<?> getType() {
    return null;
  }

  @Override
  public Type getGenericType() {
    return null;
  }

  @Override
  public MediaType getMediaType() {
    return MediaType.SERVER_SENT_EVENTS_TYPE;
  }

  @Override
  public Object getData() {
    return null;
  }

  @Override
  public String toString() {
    return "RawChunk{bytes=" + bytes.length + "}";
  }
}
