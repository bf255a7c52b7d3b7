package org.ssekit.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One generated hostile request: its raw request target and extra header lines (any bytes: the
 * point is that invalid ones reach the server), and what it must get.
 *
 * <p><b>Thread safety:</b> immutable (the arrays are not changed after generation).
 *
 * @param description what the case is, for the failure message (the seed names the run)
 * @param target the request target's bytes, such as {@code /servlet/open?entry=a}
 * @param headerLines extra header lines, each without its CRLF
 * @param expect what the answer must be
 */
record HostileCase(String description, byte[] target, List<byte[]> headerLines, Expect expect) {
  /** A case whose target and headers are ASCII text. */
  static HostileCase of(String description, String target, List<String> headers, Expect expect) {
    return new HostileCase(
        description,
        target.getBytes(StandardCharsets.ISO_8859_1),
        headers.stream().map(h -> h.getBytes(StandardCharsets.ISO_8859_1)).toList(),
        expect);
  }

  /**
   * The request's bytes: a GET of the target asking for an event stream, with {@code Connection:
   * close} so that a refusal ends with the connection.
   */
  byte[] request() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GET ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(target);
    out.writeBytes(
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nConnection: close\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    for (byte[] line : headerLines) {
      out.writeBytes(line);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    out.writeBytes(new byte[] {'\r', '\n'});
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return description;
  }
}
