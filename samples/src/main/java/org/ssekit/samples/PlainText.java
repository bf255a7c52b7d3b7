package org.ssekit.samples;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the short {@code text/plain} answers of the chat's servlets. */
final class PlainText {
  private PlainText() {}

  /** Answers {@code status} with {@code text} and a line end as a UTF-8 {@code text/plain} body. */
  static void answer(HttpServletResponse response, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
