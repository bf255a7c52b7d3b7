package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes a {@link RawChunk} verbatim except its last LF: Jersey's sink writes an LF after every
 * event it sends, which restores it.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
@Produces(MediaType.SERVER_SENT_EVENTS)
public final class RawChunkWriter implements MessageBodyWriter<RawChunk> {
  /** Creates the writer; registered by the feature. */
  public RawChunkWriter() {}

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return RawChunk.class.isAssignableFrom(type);
  }

  @Override
  public long getSize(
      RawChunk chunk,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType) {
    return -1;
  }

  @Override
  public void writeTo(
      RawChunk chunk,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream entityStream)
      throws IOException {
    entityStream.write(chunk.bytes, 0, chunk.bytes.length - 1);
  }
}
