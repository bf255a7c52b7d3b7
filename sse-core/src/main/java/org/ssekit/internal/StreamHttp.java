package org.ssekit.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The HTTP side of an event stream that every adapter shares, in one place so that the servlet and
 * the JAX-RS adapters answer with the same bytes and headers: the response head of a stream, where
 * a reconnecting client's last event id comes from, the {@code Retry-After} of a refusal, and the
 * joining of a write's chunks. Plain JDK types only: the adapters pass the values their own request
 * and response types hold.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class StreamHttp {
  /**
   * The content type of every stream. Exactly this: Chromium rejects a stream declared in another
   * charset (ISO-8859-1 is some containers' default).
   */
  public static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

  /** The request header a reconnecting {@code EventSource} sends. */
  public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";

  /** The query parameter that polyfills send instead of the {@link #LAST_EVENT_ID_HEADER}. */
  public static final String LAST_EVENT_ID_PARAMETER = "lastEventId";

  /** The response header of a refusal that tells the client when to come back. */
  public static final String RETRY_AFTER_HEADER = "Retry-After";

  private StreamHttp() {}

  /**
   * Hands {@code header} the name and value of each header of a stream's response besides its
   * {@linkplain #CONTENT_TYPE content type} (which the adapters set through their own API), in the
   * order they are to be set.
   *
   * @throws NullPointerException if {@code header} is null
   */
  public static void forEachStreamHeader(BiConsumer<String, String> header) {
    header.accept("Cache-Control", "no-cache");
    // nginx buffers proxied responses unless told not to.
    header.accept("X-Accel-Buffering", "no");
  }

  /**
   * Returns the client's last event id: the {@link #LAST_EVENT_ID_HEADER} header if the request has
   * one, else its {@link #LAST_EVENT_ID_PARAMETER} query parameter, else null.
   *
   * @param header the request's {@code Last-Event-ID} header, or null if absent
   * @param queryParameter looks up the request's {@code lastEventId} query parameter (null if
   *     absent); called only without the header, so that the query is not parsed when not needed
   * @throws NullPointerException if the header is absent and {@code queryParameter} is null
   */
  public static String lastEventId(String header, Supplier<String> queryParameter) {
    if (header != null) {
      return header;
    }
    return queryParameter.get();
  }

  /**
   * Returns the value of the {@link #RETRY_AFTER_HEADER} header of a refusal: {@code retryAfter} in
   * whole seconds, at least 1 (a client told 0 would come straight back).
   *
   * @throws NullPointerException if {@code retryAfter} is null
   */
  public static String retryAfterSeconds(Duration retryAfter) {
    return Long.toString(Math.max(1, retryAfter.toSeconds()));
  }

  /** Returns the number of bytes in {@code chunks}. */
  public static int length(List<byte[]> chunks) {
    int length = 0;
    // Indexed: an iterator would be an allocation per write.
    for (int i = 0, n = chunks.size(); i < n; i++) {
      length += chunks.get(i).length;
    }
    return length;
  }

  /**
   * Returns the bytes of {@code chunks} in order, as one array: the chunk itself if there is only
   * one (shared with the other subscribers of its event: only read it), else a new array.
   */
  public static byte[] concat(List<byte[]> chunks) {
    return chunks.size() == 1 ? chunks.get(0) : concat(chunks, length(chunks));
  }

  /**
   * Returns the bytes of {@code chunks} in order, as one array, given their {@linkplain
   * #length(List) length}: the chunk itself if there is only one (shared: only read it), else a new
   * array.
   */
  public static byte[] concat(List<byte[]> chunks, int length) {
    int size = chunks.size();
    if (size == 1) {
      return chunks.get(0);
    }
    byte[] bytes = new byte[length];
    int offset = 0;
    for (int i = 0; i < size; i++) {
      byte[] chunk = chunks.get(i);
      System.arraycopy(chunk, 0, bytes, offset, chunk.length);
      offset += chunk.length;
    }
    return bytes;
  }
}
