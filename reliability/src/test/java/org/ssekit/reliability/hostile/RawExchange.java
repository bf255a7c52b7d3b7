package org.ssekit.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one request as raw bytes on a new connection and reads the answer: the whole of a refusal
 * (to the end of the connection, which {@code Connection: close} asks for), or the head of a stream
 * and, when asked, its first event. {@link org.ssekit.testkit.RawSseClient} writes its headers as
 * UTF-8 text, so it cannot send the invalid bytes these cases are about.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class RawExchange {
  /** How long an answer may take to come, per read. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private RawExchange() {}

  /**
   * Sends {@code request} to {@code port} and reads the answer; of a stream, its head and (if
   * {@code firstEvent}) its body up to the end of the first event.
   *
   * @throws IOException if the connection cannot be made or the answer does not come in time
   */
  static Answer send(int port, byte[] request, boolean firstEvent) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException refusedMidRequest) {
        // A server may answer and close before it read a huge request: read what it said.
      }
      return read(socket.getInputStream(), firstEvent);
    }
  }

  private static Answer read(InputStream in, boolean firstEvent) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int headEnd = -1;
    boolean stream = false;
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        received.write(buffer, 0, n);
        byte[] bytes = received.toByteArray();
        if (headEnd < 0) {
          headEnd = indexOf(bytes, "\r\n\r\n", 0);
          if (headEnd >= 0) {
            Answer head = answer(bytes, headEnd);
            stream = head.status() == 200 && head.isEventStream();
          }
        }
        if (stream && (!firstEvent || indexOf(bytes, "\n\n", headEnd + 4) >= 0)) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new IOException(
          "no complete answer in " + READ_TIMEOUT.toSeconds() + " s; received: " + text(received),
          e);
    } catch (IOException reset) {
      // A reset after the answer (the server closing with our bytes unread) ends what it said.
      if (received.size() == 0) {
        return new Answer(-1, "", new byte[0]);
      }
    }
    byte[] bytes = received.toByteArray();
    if (headEnd < 0) {
      headEnd = indexOf(bytes, "\r\n\r\n", 0);
    }
    return headEnd < 0 ? new Answer(-1, text(received), new byte[0]) : answer(bytes, headEnd);
  }

  private static Answer answer(byte[] bytes, int headEnd) {
    String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] statusLine = head.split("\r\n", 2)[0].split(" ");
    int status;
    try {
      status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
    } catch (NumberFormatException e) {
      status = -1;
    }
    byte[] body = new byte[bytes.length - headEnd - 4];
    System.arraycopy(bytes, headEnd + 4, body, 0, body.length);
    return new Answer(status, head, body);
  }

  private static String text(ByteArrayOutputStream received) {
    String text = received.toString(StandardCharsets.ISO_8859_1);
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static int indexOf(byte[] bytes, String ascii, int from) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = Math.max(0, from); i <= bytes.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
