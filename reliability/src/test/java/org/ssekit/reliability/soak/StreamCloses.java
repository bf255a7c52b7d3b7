package org.ssekit.reliability.soak;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.ssekit.CloseReason;
import org.ssekit.SseListener;
import org.ssekit.Subscription;

/**
 * Remembers the hub's close reason of the most recent streams, by the id each soak client sends in
 * {@link #HEADER}, so that a cycle whose stream ended early can say why the hub ended it. Only the
 * last {@link #KEPT} closes are kept: a soak of 100,000 cycles must not grow the heap it measures.
 *
 * <p><b>Thread safety:</b> thread-safe; the hub calls {@code onClose} on its own threads.
 */
final class StreamCloses implements Function<HttpServletRequest, SseListener> {
  /** The request header that carries a stream's id. */
  static final String HEADER = "X-Soak-Stream";

  private static final int KEPT = 1024;

  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();

  // @GuardedBy("lock")
  private final Map<String, CloseReason> reasons =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CloseReason> eldest) {
          return size() > KEPT;
        }
      };

  /** Returns a new stream id of {@code user}. */
  String nextId(String user) {
    return user + "-" + ids.incrementAndGet();
  }

  @Override
  public SseListener apply(HttpServletRequest request) {
    String id = request.getHeader(HEADER);
    if (id == null) {
      return SseListener.NONE;
    }
    return new SseListener() {
      @Override
      public void onClose(Subscription subscription, CloseReason reason) {
        synchronized (lock) {
          reasons.put(id, reason);
          lock.notifyAll();
        }
      }
    };
  }

  /**
   * Returns the hub's close reason of stream {@code id}, waiting up to {@code wait} for it (the
   * client may see the end before the hub's {@code onClose} ran), or "none yet".
   */
  String reason(String id, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (!reasons.containsKey(id)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return "none yet";
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return reasons.get(id).name();
    }
  }
}
