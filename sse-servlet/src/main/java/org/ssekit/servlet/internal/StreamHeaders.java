package org.ssekit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.ssekit.internal.StreamHttp;

/**
 * The response heads of the servlet adapter: an event stream's, and a refusal's. The values are
 * {@link StreamHttp}'s, shared with the JAX-RS adapter.
 *
 * <p><b>Thread safety:</b> stateless; call from the thread that owns the response.
 */
final class StreamHeaders {
  private static final System.Logger LOG = System.getLogger(StreamHeaders.class.getName());

  private StreamHeaders() {}

  /** Makes {@code response} the head of an event stream, with a buffer of {@code bufferSize}. */
  static void apply(HttpServletResponse response, int bufferSize) {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setBufferSize(bufferSize);
    response.setContentType(StreamHttp.CONTENT_TYPE);
    StreamHttp.forEachStreamHeader(response::setHeader);
  }

  /**
   * Turns {@code response} into the answer to a subscriber the hub never admitted: {@code 204} for
   * a closed topic, else {@code 503} with {@code Retry-After}. Does nothing if it is committed.
   */
  static void answerRefusal(
      HttpServletResponse response, boolean topicClosed, Duration retryAfter) {
    try {
      response.reset();
      if (topicClosed) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      } else {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(StreamHttp.RETRY_AFTER_HEADER, StreamHttp.retryAfterSeconds(retryAfter));
      }
    } catch (IllegalStateException committed) {
      LOG.log(
          Level.TRACE, "IGNORED: response committed before a refusal could be answered", committed);
    }
  }
}
