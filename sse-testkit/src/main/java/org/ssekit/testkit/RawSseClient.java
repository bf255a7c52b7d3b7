package org.ssekit.testkit;

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
import java.util.function.Consumer;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * An HTTP/1.1 event-stream client over a raw socket: it sees the exact status line, headers and
 * body bytes, decodes chunked bodies itself and parses events with the core parser. It can also be
 * a client that stopped reading (a tiny receive buffer and no reader), or one that vanishes ({@link
 * #close()}). The servlet and JAX-RS transports are checked by this same client.
 *
 * <p><b>Thread safety:</b> one background reader fills it; the accessors may be called from any
 * thread.
 */
public final class RawSseClient implements AutoCloseable {
  private final Socket socket;
  private final Consumer<ReceivedEvent> onEvent;
  private final boolean keepBody;
  private final CountDownLatch headersRead = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final BlockingQueue<ReceivedEvent> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> retries = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private volatile String statusLine;
  private volatile Map<String, String> headers = Map.of();
  private volatile long headersNanos;
  private volatile Throwable failure;

  private RawSseClient(Socket socket, Consumer<ReceivedEvent> onEvent) {
    this.socket = socket;
    this.onEvent = onEvent == null ? events::add : onEvent;
    this.keepBody = onEvent == null;
  }

  /**
   * Connects, sends a GET for {@code target} with {@code extraHeaders}, and reads in the
   * background.
   */
  public static RawSseClient get(int port, String target, Map<String, String> extraHeaders)
      throws IOException {
    return get(port, target, extraHeaders, null);
  }

  /**
   * As {@link #get(int, String, Map)}, but hands each event to {@code onEvent} on the reader thread
   * as soon as it is parsed, instead of keeping it for {@link #poll}: for clients that stream for a
   * long time and that time each event's arrival. Nothing accumulates: neither the events nor the
   * body ({@link #body()} stays empty).
   *
   * @param onEvent called on the reader thread, one event at a time; null keeps events for {@link
   *     #poll}
   */
  public static RawSseClient get(
      int port, String target, Map<String, String> extraHeaders, Consumer<ReceivedEvent> onEvent)
      throws IOException {
    RawSseClient client = new RawSseClient(new Socket(), onEvent);
    client.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    client.sendGet(target, extraHeaders);
    Thread reader = new Thread(client::read, "raw-sse-client-" + port);
    reader.setDaemon(true);
    reader.start();
    return client;
  }

  /** Connects, sends a GET for {@code target}, and reads in the background. */
  public static RawSseClient get(int port, String target) throws IOException {
    return get(port, target, Map.of());
  }

  /**
   * Connects with a tiny receive buffer, sends a GET, and never reads: a client that stopped
   * reading.
   */
  public static RawSseClient stalled(int port, String target) throws IOException {
    return stalled(port, target, Map.of());
  }

  /**
   * As {@link #stalled(int, String)}, with {@code extraHeaders} in the request (a {@code
   * Last-Event-ID}, credentials). The receive buffer is set before connecting, so that the window
   * the client offers stays small.
   */
  public static RawSseClient stalled(int port, String target, Map<String, String> extraHeaders)
      throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(1024);
    RawSseClient client = new RawSseClient(socket, null);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    client.sendGet(target, extraHeaders);
    return client;
  }

  /** Starts reading a {@link #stalled} client's socket at last, to see where the server left it. */
  public void resumeReading() {
    Thread reader = new Thread(this::read, "raw-sse-client-resumed");
    reader.setDaemon(true);
    reader.start();
  }

  private void sendGet(String target, Map<String, String> extraHeaders) throws IOException {
    StringBuilder request =
        new StringBuilder()
            .append("GET ")
            .append(target)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(socket.getPort())
            .append("\r\n")
            .append("Accept: text/event-stream\r\n");
    extraHeaders.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void read() {
    try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
      statusLine = readLine(in);
      Map<String, String> head = new LinkedHashMap<>();
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        head.merge(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
      headers = head;
      headersNanos = System.nanoTime();
      headersRead.countDown();
      EventStreamParser parser =
          new EventStreamParser(
              new EventStreamParser.Handler() {
                @Override
                public void onEvent(ReceivedEvent event) {
                  onEvent.accept(event);
                }

                @Override
                public void onComment(String comment) {
                  comments.add(comment);
                }

                @Override
                public void onRetry(long retryMillis) {
                  retries.add(retryMillis);
                }
              });
      if ("chunked".equalsIgnoreCase(head.get("transfer-encoding"))) {
        readChunked(in, parser);
      } else if (head.containsKey("content-length")) {
        byte[] bytes = in.readNBytes(Integer.parseInt(head.get("content-length")));
        keep(bytes, bytes.length);
        parser.feed(bytes, 0, bytes.length);
      } else if (status() != 204 && status() != 304) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          keep(buffer, n);
          parser.feed(buffer, 0, n);
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      headersRead.countDown();
      ended.countDown();
    }
  }

  private void readChunked(InputStream in, EventStreamParser parser) throws IOException {
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) {
        return;
      }
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        readLine(in);
        return;
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        return;
      }
      keep(chunk, chunk.length);
      parser.feed(chunk, 0, chunk.length);
      readLine(in);
    }
  }

  private void keep(byte[] bytes, int length) {
    if (keepBody) {
      synchronized (body) {
        body.write(bytes, 0, length);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Waits for the status line and headers; returns false if they did not come in time. */
  public boolean awaitHeaders(Duration timeout) throws InterruptedException {
    return headersRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && statusLine != null;
  }

  /** Returns the status code, or -1 if no status line arrived. */
  public int status() {
    String line = statusLine;
    return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
  }

  /** Returns the response headers with lower-case names; repeated headers are joined with ", ". */
  public Map<String, String> headers() {
    return headers;
  }

  /** Returns a response header by name (any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Returns the {@link System#nanoTime()} at which the headers had been read. */
  public long headersNanos() {
    return headersNanos;
  }

  /** Takes the next event, waiting up to {@code timeout}; null if none came. */
  public ReceivedEvent poll(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the next comment, waiting up to {@code timeout}; null if none came. */
  public String pollComment(Duration timeout) throws InterruptedException {
    return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the next {@code retry} value, waiting up to {@code timeout}; null if none came. */
  public Long pollRetry(Duration timeout) throws InterruptedException {
    return retries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns how many parsed events have not been taken yet. */
  public int pendingEvents() {
    return events.size();
  }

  /**
   * Waits until the server ended the response or the connection; returns false if it did not in
   * time.
   */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the body received so far (chunk framing removed), as UTF-8 text. */
  public String body() {
    synchronized (body) {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  /** Returns the body bytes received so far (chunk framing removed). */
  public byte[] bodyBytes() {
    synchronized (body) {
      return body.toByteArray();
    }
  }

  /** Returns how many body bytes have been received so far. */
  public int bodyLength() {
    synchronized (body) {
      return body.size();
    }
  }

  /** Returns what ended the reader with an exception, or null. */
  public Throwable failure() {
    return failure;
  }

  /**
   * Closes the socket with a TCP reset ({@code SO_LINGER} 0) instead of a FIN: the client's host
   * dropped the connection, as a crash or a NAT timeout does; the server's next read or write
   * fails.
   */
  public void resetClose() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Already closed: there is nothing left to reset.
      failure = e;
    }
    close();
  }

  /** Closes the socket at once: the client vanishes. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // A test socket that fails to close is closed as far as the server can tell.
      failure = e;
    }
  }
}
