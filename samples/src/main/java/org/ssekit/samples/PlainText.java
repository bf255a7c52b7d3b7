package org.ssekit.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the short {@code text/plain} answers of the chat's servlets (and of samples-spring-boot's
 * controller).
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class PlainText {
  private PlainText() {}

  /** Answers a refused request: its status, its {@code Retry-After} if any, and its reason. */
  static void answer(HttpServletResponse response, ChatRequestException refused)
      throws IOException {
    answer(response, refused, refused.getMessage());
  }

  /**
   * Answers a refused request that may still have an unread body. A container that completes an
   * answer before the request's body was read closes the connection afterwards, without saying so
   * in the answer, and a client that already reused that connection for its next request sees that
   * request fail. So the rest of the body is read and dropped first, and one too large for that
   * makes the answer say {@code Connection: close}.
   */
  public static void answer(
      HttpServletRequest request, HttpServletResponse response, ChatRequestException refused)
      throws IOException {
    if (!ChatInput.drain(request.getInputStream())) {
      response.setHeader("Connection", "close");
    }
    answer(response, refused);
  }

  /** As {@link #answer(HttpServletResponse, ChatRequestException)}, with another reason. */
  static void answer(HttpServletResponse response, ChatRequestException refused, String reason)
      throws IOException {
    response.resetBuffer();
    if (refused.retryAfterSeconds() > 0) {
      // Before the body: writing it commits the response.
      response.setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
    }
    if (refused.status() == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", ChatSessions.CHALLENGE);
    }
    answer(response, refused.status(), reason);
  }

  /** Answers {@code status} with {@code text} and a line end as a UTF-8 {@code text/plain} body. */
  public static void answer(HttpServletResponse response, int status, String text)
      throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
