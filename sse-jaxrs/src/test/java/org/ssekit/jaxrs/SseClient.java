package org.ssekit.jaxrs;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ssekit.EventStreamParser;
import org.ssekit.ReceivedEvent;

/**
 * An HTTP/1.1 event-stream client over a raw socket: it sees the exact status line, headers and body bytes
 * (de-chunked), and parses events with the core parser. It can also be a client that stopped reading.
 */
final class SseClient implements AutoCloseable {
  private final Socket socket;
  private final CountDownLatch headersRead = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private volatile String statusLine;
  private volatile Map<String, String> headers = Map.of();

  private SseClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects, sends a GET for {@code target} with {@code extraHeaders}, and reads in the background. */
  static SseClient get(int port, String target, Map<String, String> extraHeaders) throws IOException {
    SseClient client = new SseClient(new Socket());
    client.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    client.sendGet(target, extraHeaders);
    Thread reader = new Thread(client::read, "sse-client-" + port);
    reader.setDaemon(true);
    reader.start();
    return client;
  }

  static SseClient get(int port, String target) throws IOException {
    return get(port, target, Map.of());
  }

  /** Connects with a tiny receive buffer, sends a GET, and never reads: a client that stopped reading. */
  static SseClient stalled(int port, String target) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    SseClient client = new SseClient(socket);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    client.sendGet(target, Map.of());
    return client;
  }

  private void sendGet(String target, Map<String, String> extraHeaders) throws IOException {
    StringBuilder request = new StringBuilder()
        .append("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n")
        .append("Accept: text/event-stream\r\n");
    extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void read() {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      statusLine = readLine(in);
      Map<String, String> parsed = new LinkedHashMap<>();
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        parsed.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
      headers = parsed;
      headersRead.countDown();
      EventStreamParser parser = new EventStreamParser(new EventStreamParser.Handler() {
        @Override
        public void onEvent(ReceivedEvent event) {
          events.add(event);
        }

        @Override
        public void onComment(String comment) {
          comments.add(comment);
        }
      });
      if (status() == 204 || status() == 304) {
        return;
      }
      if ("chunked".equalsIgnoreCase(parsed.get("transfer-encoding"))) {
        while (true) {
          String size = readLine(in);
          if (size == null) {
            return;
          }
          int length = Integer.parseInt(size.split(";")[0].trim(), 16);
          if (length == 0) {
            return;
          }
          byte[] chunk = in.readNBytes(length);
          record(parser, chunk, chunk.length);
          if (chunk.length < length) {
            return;
          }
          readLine(in);
        }
      }
      long remaining = parsed.containsKey("content-length") ? Long.parseLong(parsed.get("content-length"))
          : Long.MAX_VALUE;
      byte[] buffer = new byte[8192];
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          return;
        }
        remaining -= n;
        record(parser, buffer, n);
      }
    } catch (IOException | RuntimeException e) {
      // the connection ended
    } finally {
      headersRead.countDown();
      ended.countDown();
    }
  }

  private void record(EventStreamParser parser, byte[] bytes, int length) {
    synchronized (body) {
      body.write(bytes, 0, length);
    }
    parser.feed(bytes, 0, length);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  boolean awaitHeaders(Duration timeout) throws InterruptedException {
    return headersRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && statusLine != null;
  }

  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int status() {
    String line = statusLine;
    return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
  }

  /** Returns a response header by lower-case name, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  ReceivedEvent nextEvent(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  String nextComment(Duration timeout) throws InterruptedException {
    return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the body bytes received so far. */
  byte[] body() {
    synchronized (body) {
      return body.toByteArray();
    }
  }

  int bodyLength() {
    synchronized (body) {
      return body.size();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
