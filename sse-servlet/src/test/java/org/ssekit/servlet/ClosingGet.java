package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GET with {@code Connection: close}, read until the server closes the connection. A server
 * closes it only once the response has ended, so an answer that never ends fails here, whatever its
 * framing (a {@code Content-Length} body can be read whole from a response that never ends).
 *
 * @param status the status code
 * @param headers the response headers, lower-case names
 * @param body the body, chunk framing removed, as UTF-8 text
 */
record ClosingGet(int status, Map<String, String> headers, String body) {

  /**
   * Sends the request and reads to the end of the connection; fails if it is not closed in time.
   */
  static ClosingGet get(int port, String target, Duration timeout) throws IOException {
    byte[] raw;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout((int) timeout.toMillis());
      String request =
          "GET "
              + target
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\n"
              + "Accept: text/event-stream\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      raw = readToEnd(socket.getInputStream(), target);
    }
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    assertThat(headEnd).as("a response head to %s: %s", target, text).isPositive();
    String[] lines = text.substring(0, headEnd).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new ClosingGet(
        Integer.parseInt(lines[0].split(" ")[1]),
        headers,
        new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] readToEnd(InputStream in, String target) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      fail(
          "the answer to %s never ended; received: %s",
          target, received.toString(StandardCharsets.ISO_8859_1));
    }
    return received.toByteArray();
  }

  /** Removes chunk framing; fails unless the body ends with the last (empty) chunk. */
  private static byte[] unchunk(byte[] chunked) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOfCrLf(chunked, at);
      assertThat(lineEnd).as("a chunk size line").isNotNegative();
      String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      at = lineEnd + 2;
      if (size == 0) {
        return body.toByteArray();
      }
      body.write(chunked, at, size);
      at += size + 2;
    }
  }

  private static int indexOfCrLf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Returns a header by name (any case), or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
