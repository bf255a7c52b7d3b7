package org.ssekit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;

/** The response head of an event stream. */
final class StreamHeaders {
  /** Exactly this: Chromium rejects a stream declared as ISO-8859-1. */
  static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

  private StreamHeaders() {}

  static void apply(HttpServletResponse response, int bufferSize) {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setBufferSize(bufferSize);
    response.setContentType(CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-cache");
    // nginx buffers proxied responses unless told not to.
    response.setHeader("X-Accel-Buffering", "no");
  }
}
