package org.ssekit.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 server that misbehaves on purpose: each connection runs the script for its
 * number (the last script repeats), which writes whatever bytes it likes and closes when it likes.
 * Records every request with the time it arrived.
 */
final class ScriptedServer implements AutoCloseable {
  /** What one connection does. */
  interface Script {
    void run(Exchange exchange) throws Exception;
  }

  /** A request as received, headers keyed in lower case. */
  record Request(int number, String line, Map<String, String> headers, long arrivedNanos) {}

  private final ServerSocket server;
  private final List<Script> scripts;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger connections = new AtomicInteger();

  ScriptedServer(Script... scripts) throws IOException {
    this.scripts = List.of(scripts);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "scripted-server-accept");
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/events");
  }

  /** Returns the next request, or fails after 10 s. */
  Request nextRequest() throws InterruptedException {
    Request request = requests.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request within 10 s");
    }
    return request;
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        int number = connections.incrementAndGet();
        Thread thread = new Thread(() -> serve(socket, number), "scripted-server-" + number);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket, int number) {
    try (socket) {
      Exchange exchange = new Exchange(socket);
      Request request = exchange.readRequest(number);
      requests.add(request);
      scripts.get(Math.min(number, scripts.size()) - 1).run(exchange);
    } catch (Exception e) {
      // The client went away or the test ended: the script is over.
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    for (Thread thread : threads) {
      thread.interrupt();
      thread.join(5000);
    }
  }

  /** One connection, as a script sees it. */
  static final class Exchange {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile long closedNanos;

    Exchange(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    Request readRequest(int number) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("request ended early");
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      long arrived = System.nanoTime();
      String[] lines = head.toString(StandardCharsets.UTF_8).split("\r\n");
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      return new Request(number, lines[0], headers, arrived);
    }

    /** Writes a status line and headers; the body is then raw bytes until the socket closes. */
    Exchange status(int code, String... headerLines) throws IOException {
      StringBuilder head = new StringBuilder("HTTP/1.1 " + code + " X\r\n");
      for (String line : headerLines) {
        head.append(line).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      return write(head.toString());
    }

    /** Writes the head of an event stream (no Content-Length: the body ends at close). */
    Exchange stream() throws IOException {
      return status(200, "Content-Type: text/event-stream");
    }

    Exchange write(String text) throws IOException {
      return write(text.getBytes(StandardCharsets.UTF_8));
    }

    Exchange write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
      return this;
    }

    /** Closes the connection and records when. */
    void close() throws IOException {
      closedNanos = System.nanoTime();
      socket.close();
    }

    long closedNanos() {
      return closedNanos;
    }

    /** Waits until the client closes its side; true if it did within {@code timeout}. */
    boolean awaitClientClose(Duration timeout) throws IOException {
      socket.setSoTimeout((int) timeout.toMillis());
      try {
        while (true) {
          if (in.read() < 0) {
            return true;
          }
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    /** Holds the connection open, silent, until the client closes it or the test ends. */
    void hold() throws IOException {
      awaitClientClose(Duration.ofSeconds(60));
    }
  }
}
