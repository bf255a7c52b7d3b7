package org.ssekit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ssekit.Authorization;
import org.ssekit.RefusalAnswer;
import org.ssekit.internal.CorsHeaders;
import org.ssekit.internal.StreamAuthorization;
import org.ssekit.internal.StreamHttp;

/**
 * The response heads of the servlet adapter: an event stream's, and a refusal's (kept CORS headers
 * included). The values are {@link StreamHttp}'s, shared with the JAX-RS adapter.
 *
 * <p><b>No reset before a body.</b> An answer with a body is written through the stream's {@code
 * WriteListener}, so its head is changed in place rather than by {@code reset()}: Tomcat's reset
 * also drops the output stream's write listener (its coyote {@code Response} is recycled), and
 * without one Tomcat 10.1's {@code isReady()} stays false with no {@code onWritePossible} to
 * follow, so the body would never be written nor the exchange completed. A body-less answer ({@code
 * 503}, {@code 204}) writes nothing and may reset.
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
   * Turns {@code response} into the answer to a subscriber the hub never admitted (see {@link
   * StreamHttp#refusalStatus}): {@code 204} for a closed topic, else per {@code answer} the head of
   * a stream whose body is to be the returned {@code retry:} (the stream's own head, with whatever
   * else the application set on it), or {@code 503} with {@code Retry-After}.
   *
   * @return the body to write before completing the exchange, or null if there is none (also when
   *     the response was committed meanwhile, which leaves it as it is)
   */
  static byte[] answerRefusal(
      HttpServletResponse response,
      boolean topicClosed,
      RefusalAnswer answer,
      Duration retryAfter) {
    int status = StreamHttp.refusalStatus(answer, topicClosed);
    try {
      if (status == HttpServletResponse.SC_OK) {
        // A body follows: no reset (see the class comment). The head is the stream's already.
        response.setStatus(status);
        response.setContentType(StreamHttp.CONTENT_TYPE);
        StreamHttp.forEachStreamHeader(response::setHeader);
        return StreamHttp.refusalBody(retryAfter);
      }
      resetKeepingCors(response);
      response.setStatus(status);
      if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
        response.setHeader(StreamHttp.RETRY_AFTER_HEADER, StreamHttp.retryAfterSeconds(retryAfter));
      }
    } catch (IllegalStateException committed) {
      LOG.log(
          Level.TRACE, "IGNORED: response committed before a refusal could be answered", committed);
    }
    return null;
  }

  /**
   * Turns {@code response} into a {@code 400} whose plain-text body, returned, is {@code reason}
   * and a line end; or returns null if the response was committed meanwhile. The stream's {@code
   * Cache-Control: no-cache} and {@code X-Accel-Buffering: no} stay: Servlet 6.0 cannot remove a
   * header but by the {@code reset()} that a body must not follow (see the class comment).
   */
  static byte[] answerBadRequest(HttpServletResponse response, String reason) {
    byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("text/plain;charset=UTF-8");
      response.setContentLength(body.length);
      return body;
    } catch (IllegalStateException committed) {
      LOG.log(Level.TRACE, "IGNORED: response committed before a 400 could be answered", committed);
      return null;
    }
  }

  /**
   * Answers a stream request its authorizer refused, on the request thread before the exchange went
   * async. A {@code 401} (with {@code WWW-Authenticate}) or {@code 403} gets {@code refusal}'s
   * status and plain-text reason. An {@linkplain Authorization#unavailable unavailable} decision is
   * a passing refusal, answered as {@code answer} says: the head of a stream and one jittered
   * {@code retry:} (no reset: the CORS headers set on the response stay), or {@code 503} with
   * {@code Retry-After} and the reason. A client that went meanwhile is ignored.
   */
  static void answerUnauthorized(
      HttpServletRequest request,
      HttpServletResponse response,
      ServletOutputStream out,
      Authorization refusal,
      RefusalAnswer answer,
      Duration retryAfter) {
    byte[] body;
    if (refusal.outcome() == Authorization.Outcome.UNAVAILABLE
        && StreamHttp.refusalStatus(answer, false) == HttpServletResponse.SC_OK) {
      body = StreamHttp.refusalBody(retryAfter);
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(StreamHttp.CONTENT_TYPE);
      StreamHttp.forEachStreamHeader(response::setHeader);
    } else {
      body = StreamAuthorization.refusalBody(refusal);
      response.setStatus(refusal.status());
      response.setContentType(StreamAuthorization.TEXT_PLAIN);
      StreamAuthorization.forEachRefusalHeader(refusal, response::setHeader);
      if (refusal.outcome() == Authorization.Outcome.UNAVAILABLE) {
        response.setHeader(StreamHttp.RETRY_AFTER_HEADER, StreamHttp.retryAfterSeconds(retryAfter));
      }
    }
    response.setContentLength(body.length);
    try {
      out.write(body);
    } catch (IOException gone) {
      LOG.log(Level.TRACE, "IGNORED: client gone before its refusal was written", gone);
    }
    if (request.isAsyncStarted()) {
      request.getAsyncContext().complete();
    }
  }

  /** Resets the response, keeping the CORS headers set on it (a browser needs them on errors). */
  private static void resetKeepingCors(HttpServletResponse response) {
    List<String> kept = new ArrayList<>();
    for (String name : CorsHeaders.RESPONSE_HEADERS) {
      String value = response.getHeader(name);
      if (value != null) {
        kept.add(name);
        kept.add(value);
      }
    }
    response.reset();
    for (int i = 0; i < kept.size(); i += 2) {
      response.setHeader(kept.get(i), kept.get(i + 1));
    }
  }
}
