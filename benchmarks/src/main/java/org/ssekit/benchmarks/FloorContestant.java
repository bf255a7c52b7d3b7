package org.ssekit.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: what the container itself allows. A bare async servlet (1 KiB response buffer, as
 * ssekit uses) flushes the headers at once; each event is encoded once and written with a blocking
 * {@code write} and {@code flush} to every stream in turn from the publisher thread.
 *
 * <p><b>Thread safety:</b> thread-safe; the streams are a concurrent set.
 */
final class FloorContestant implements Contestant {
  private final Container container;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicLong cutoffs = new AtomicLong();

  FloorContestant(Container container) {
    this.container = container;
  }

  @Override
  public int start() throws Exception {
    return container.servlet("/events", new FloorServlet(), Map.of()).start();
  }

  @Override
  public void publish(String data) {
    byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    for (Stream stream : streams) {
      try {
        stream.out.write(bytes);
        stream.out.flush();
      } catch (IOException | RuntimeException e) {
        if (streams.remove(stream)) {
          cutoffs.incrementAndGet();
        }
        stream.complete();
      }
    }
  }

  @Override
  public int openStreams() {
    return streams.size();
  }

  @Override
  public long cutoffs() {
    return cutoffs.get();
  }

  @Override
  public String settings() {
    return "bare async servlet, response buffer 1024 B, blocking write+flush per event per stream; "
        + container.settings();
  }

  @Override
  public void stop() throws Exception {
    container.stop();
  }

  private final class FloorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setBufferSize(1024);
      response.setStatus(200);
      response.setContentType("text/event-stream;charset=UTF-8");
      response.setHeader("Cache-Control", "no-cache");
      AsyncContext async = request.startAsync();
      async.setTimeout(0);
      Stream stream = new Stream(async, response.getOutputStream());
      async.addListener(stream);
      streams.add(stream);
      stream.out.flush();
    }
  }

  private final class Stream implements AsyncListener {
    final AsyncContext async;
    final ServletOutputStream out;

    Stream(AsyncContext async, ServletOutputStream out) {
      this.async = async;
      this.out = out;
    }

    void complete() {
      try {
        async.complete();
      } catch (IllegalStateException alreadyDone) {
        // The container ended the exchange first.
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {
      streams.remove(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      streams.remove(this);
    }

    @Override
    public void onError(AsyncEvent event) {
      streams.remove(this);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
