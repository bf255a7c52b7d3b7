package org.ssekit.reliability.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on an ephemeral port of 127.0.0.1 in front of one upstream port, whose behaviour a
 * test switches while traffic flows: {@linkplain Mode#PASS pass} bytes through, {@linkplain
 * Mode#DELAY delay} every chunk by a fixed time (order kept), {@linkplain Mode#DROP drop} (reset
 * every connection and close each new one at once, as a network partition that the kernel reports)
 * or {@linkplain Mode#BLACK_HOLE black-hole} (keep connections open and swallow every byte, as a
 * partition that nobody reports). Leaving {@code BLACK_HOLE} closes the connections that swallowed
 * bytes: their protocol streams are torn, and a client must reconnect as after a real partition.
 *
 * <p>Each connection uses four platform threads (a reader and a writer per direction), named {@code
 * fault-proxy-*}; all end on {@link #close()}.
 *
 * <p><b>Thread safety:</b> thread-safe: {@link #mode} may be switched from any thread.
 */
final class FaultProxy implements AutoCloseable {
  /** What the proxy does with traffic. */
  enum Mode {
    PASS,
    DELAY,
    DROP,
    BLACK_HOLE
  }

  private static final AtomicInteger CONNECTIONS = new AtomicInteger();
  private static final byte[] END = new byte[0];

  private final int upstreamPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile Mode mode = Mode.PASS;
  private volatile long delayNanos;
  private volatile boolean closed;

  private FaultProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy to {@code 127.0.0.1:upstreamPort}, passing traffic through.
   *
   * @throws IOException if no local port can be bound
   */
  static FaultProxy start(int upstreamPort) throws IOException {
    return new FaultProxy(upstreamPort);
  }

  /** Returns the proxy's port on 127.0.0.1. */
  int port() {
    return server.getLocalPort();
  }

  /** Returns the number of client connections open through the proxy. */
  int openConnections() {
    return sockets.size() / 2;
  }

  /** Passes traffic through again (closing black-holed connections, see the class comment). */
  void pass() {
    switchTo(Mode.PASS);
  }

  /** Delays every chunk of bytes, in both directions, by {@code millis}. */
  void delay(long millis) {
    delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    switchTo(Mode.DELAY);
  }

  /** Resets every connection and closes new ones at once until another mode is set. */
  void drop() {
    switchTo(Mode.DROP);
    closeAll();
  }

  /** Keeps connections open and swallows every byte until another mode is set. */
  void blackHole() {
    switchTo(Mode.BLACK_HOLE);
  }

  private void switchTo(Mode next) {
    Mode previous = mode;
    mode = next;
    if (previous == Mode.BLACK_HOLE && next != Mode.BLACK_HOLE) {
      closeAll();
    }
  }

  private void closeAll() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (mode == Mode.DROP) {
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 1000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException unreachable) {
        // Redis is down: the client sees its connection closed, as a refused connect.
        closeQuietly(upstream);
        closeQuietly(client);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      int id = CONNECTIONS.incrementAndGet();
      pipe(client, upstream, "fault-proxy-" + id + "-up");
      pipe(upstream, client, "fault-proxy-" + id + "-down");
    }
  }

  /**
   * Copies {@code from} to {@code to}: a reader thread queues chunks, a writer sends them when due.
   */
  private void pipe(Socket from, Socket to, String name) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                InputStream in = from.getInputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  Mode now = mode;
                  if (now == Mode.BLACK_HOLE) {
                    continue;
                  }
                  long due = now == Mode.DELAY ? System.nanoTime() + delayNanos : 0L;
                  queue.add(new Chunk(Arrays.copyOf(buffer, read), due));
                }
              } catch (IOException closedOrReset) {
                // the connection ended: end the other side too
              }
              queue.add(new Chunk(END, 0L));
            },
            name + "-read");
    Thread writer =
        new Thread(
            () -> {
              try {
                OutputStream out = to.getOutputStream();
                while (true) {
                  Chunk chunk = queue.take();
                  if (chunk.bytes == END) {
                    break;
                  }
                  long wait = chunk.dueNanos - System.nanoTime();
                  if (chunk.dueNanos != 0L && wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                  }
                  out.write(chunk.bytes);
                  out.flush();
                }
              } catch (IOException | InterruptedException ended) {
                // the other side is gone
              }
              closeQuietly(from);
              closeQuietly(to);
              sockets.remove(from);
              sockets.remove(to);
            },
            name + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private record Chunk(byte[] bytes, long dueNanos) {}

  private static void closeQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // a reset, as a broken network path reports it
      socket.close();
    } catch (SocketException alreadyClosed) {
      // nothing to do
    } catch (IOException e) {
      // nothing more to do with a socket we are discarding
    }
  }

  /** Stops accepting and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    closeAll();
  }
}
