package org.ssekit.reliability.faults;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow application request: holds its container thread for a fixed time (blocking, as a slow
 * database call does), then answers {@code slow}; counts the requests it holds at once. Also
 * answers {@code pong} at once with {@code ?ping}, to measure how long a plain request waits for a
 * thread.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SlowServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final Duration hold;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger mostActive = new AtomicInteger();

  /** Holds each request's thread for {@code hold}. */
  SlowServlet(Duration hold) {
    this.hold = hold;
  }

  /** Returns the most requests held at once so far. */
  int mostActive() {
    return mostActive.get();
  }

  /** Returns the requests held now. */
  int active() {
    return active.get();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain");
    if (request.getParameter("ping") != null) {
      response.getWriter().write("pong");
      return;
    }
    mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
    try {
      Thread.sleep(hold.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      active.decrementAndGet();
    }
    response.getWriter().write("slow");
  }
}
