package org.ssekit.samples;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answer to a stream request refused for a passing reason that the demo notices itself (its
 * sessions cannot be checked while Redis is unreachable): {@code 200} with an event stream of one
 * comment (the reason) and one jittered {@code retry:}, then its end, as the library answers its
 * own passing refusals ({@link org.ssekit.RefusalAnswer#RETRY_STREAM}). A browser's {@code
 * EventSource} reconnects after it, where a {@code 503} would close it for good.
 */
final class RetryStream {
  private static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

  private RetryStream() {}

  /**
   * Returns a reconnection delay in ms: uniform between half and one and a half times {@code
   * retryAfter}, at least one second, so that refused clients do not all return at once.
   */
  static long jitteredMillis(Duration retryAfter) {
    long millis = retryAfter.toMillis();
    return Math.max(1_000, ThreadLocalRandom.current().nextLong(millis / 2, millis * 3 / 2 + 1));
  }

  /** Answers a servlet request with the retry stream. */
  static void answer(HttpServletResponse response, ChatRequestException refused)
      throws IOException {
    byte[] body = body(refused);
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /**
   * Returns the retry stream as a JAX-RS answer, to throw in a {@link WebApplicationException}.
   * Written as bytes rather than through the request's {@code SseEventSink}: Jersey writes no
   * {@code retry:} for an event without data, and an event with data would reach the page.
   */
  static Response response(ChatRequestException refused) {
    return Response.ok(body(refused), CONTENT_TYPE).header("Cache-Control", "no-store").build();
  }

  /** The stream: the reason as a comment (one line), the jittered {@code retry:}, an empty line. */
  private static byte[] body(ChatRequestException refused) {
    return (": "
            + refused.getMessage()
            + "\nretry: "
            + jitteredMillis(Duration.ofSeconds(refused.retryAfterSeconds()))
            + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
