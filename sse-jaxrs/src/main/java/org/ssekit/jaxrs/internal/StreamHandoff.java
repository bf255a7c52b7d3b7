package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * The entity that stands for an event stream whose sink the runtime keeps to itself (RESTEasy
 * writes an SSE method's head without an entity): with an entity, the runtime runs the writer
 * interceptors, where {@link ServletStreamFilter} takes the servlet response over exactly as it
 * does for a Jersey sink. Its writer writes nothing: the interceptor never proceeds to it.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
enum StreamHandoff {
  /** The only value. */
  INSTANCE;

  /**
   * Writes nothing for a {@link StreamHandoff}; registered by the feature.
   *
   * <p><b>Thread safety:</b> stateless and thread-safe.
   */
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public static final class Writer implements MessageBodyWriter<StreamHandoff> {
    /** Creates the writer. */
    public Writer() {}

    @Override
    public boolean isWriteable(
        Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
      return type == StreamHandoff.class;
    }

    @Override
    public void writeTo(
        StreamHandoff handoff,
        Class<?> type,
        Type genericType,
        Annotation[] annotations,
        MediaType mediaType,
        MultivaluedMap<String, Object> httpHeaders,
        java.io.OutputStream entityStream) {
      // Nothing: the stream is written by the servlet path, which never proceeds to this writer.
    }
  }
}
