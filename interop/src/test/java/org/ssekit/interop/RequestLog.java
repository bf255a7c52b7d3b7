package org.ssekit.interop;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records every request to a scenario endpoint as the server received it, per topic: the time, the
 * {@code Last-Event-ID} header, the protocol, how it carried a token (if it did) and the status and
 * {@code WWW-Authenticate} challenge it was answered with. A plain servlet filter in front of every
 * server path, so that reconnects are observed the same way whatever serves the stream.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RequestLog implements Filter {
  /**
   * One request as received: its protocol as the container reports it ({@code HTTP/1.1}, {@code
   * HTTP/2.0}), how it carried a token ({@link #credential}), and the status and {@code
   * WWW-Authenticate} header of its response once that is complete (0 and null until then; a
   * stream's only when it ends).
   */
  record Request(
      String uri,
      String lastEventId,
      String protocol,
      Credential.Carrier credential,
      long receivedNanos,
      AtomicInteger status,
      AtomicReference<String> challenge) {
    /** Returns the response's status, or 0 if the response is not complete. */
    int answered() {
      return status.get();
    }

    /**
     * Returns the response's {@code WWW-Authenticate} header, or null if none (or not complete).
     */
    String answeredChallenge() {
      return challenge.get();
    }

    private void complete(HttpServletResponse response) {
      challenge.set(response.getHeader("WWW-Authenticate"));
      status.set(response.getStatus());
    }
  }

  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final Map<String, List<Request>> byTopic = new HashMap<>();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String topic = Endpoint.topicOf(http.getRequestURI());
    if (topic != null) {
      Request recorded =
          new Request(
              http.getRequestURI(),
              http.getHeader("Last-Event-ID"),
              http.getProtocol(),
              Credential.Carrier.of(http),
              System.nanoTime(),
              new AtomicInteger(),
              new AtomicReference<>());
      synchronized (lock) {
        byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(recorded);
        lock.notifyAll();
      }
      chain.doFilter(request, response);
      HttpServletResponse answer = (HttpServletResponse) response;
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new StatusOnComplete(recorded));
      } else {
        recorded.complete(answer);
      }
      return;
    }
    chain.doFilter(request, response);
  }

  /** Records the status of a response that completes asynchronously. */
  private static final class StatusOnComplete implements AsyncListener {
    private final Request request;

    StatusOnComplete(Request request) {
      this.request = request;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      request.complete((HttpServletResponse) event.getSuppliedResponse());
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** Returns the requests received for {@code topic} so far, oldest first. */
  List<Request> requests(String topic) {
    synchronized (lock) {
      return List.copyOf(byTopic.getOrDefault(topic, List.of()));
    }
  }

  /**
   * Waits until at least {@code count} requests for {@code topic} were received.
   *
   * @return true if they were, false if {@code timeout} passed first
   */
  boolean awaitRequests(String topic, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (byTopic.getOrDefault(topic, List.of()).size() < count) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
          return false;
        }
        lock.wait(Math.max(1, remainingNanos / 1_000_000));
      }
      return true;
    }
  }
}
