package org.ssekit.samples;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
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
  private RetryStream() {}

  /**
   * Returns a reconnection delay in ms: uniform between half and one and a half times {@code
   * retryAfter}, at least one second, so that refused clients do not all return at once.
   */
  static long jitteredMillis(Duration retryAfter) {
    long millis = retryAfter.toMillis();
    return Math.max(1_000, ThreadLocalRandom.current().nextLong(millis / 2, millis * 3 / 2 + 1));
  }

  /** Answers a servlet request with the retry stream; {@code reason} is one line. */
  static void answer(HttpServletResponse response, ChatRequestException refused)
      throws IOException {
    byte[] body =
        (": "
                + refused.getMessage()
                + "\nretry: "
                + jitteredMillis(Duration.ofSeconds(refused.retryAfterSeconds()))
                + "\n\n")
            .getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/event-stream;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Answers through a JAX-RS event sink with the retry stream, and closes it once sent. */
  static void answer(SseEventSink sink, Sse sse, ChatRequestException refused) {
    sink.send(
            sse.newEventBuilder()
                .comment(refused.getMessage())
                .reconnectDelay(jitteredMillis(Duration.ofSeconds(refused.retryAfterSeconds())))
                .build())
        .whenComplete(
            (sent, failure) -> {
              try {
                sink.close();
              } catch (IOException clientGone) {
                // Nothing to answer any more.
              }
            });
  }
}
