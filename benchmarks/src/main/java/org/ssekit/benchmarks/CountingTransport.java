package org.ssekit.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.CloseReason;
import org.ssekit.SseTransport;
import org.ssekit.WriteCallback;

/**
 * A transport for the JMH benchmarks: counts the chunks of every write after the first (the headers
 * count as one) and completes each write at once.
 *
 * <p><b>Thread safety:</b> confined: the core never overlaps calls for one subscription.
 */
final class CountingTransport implements SseTransport {
  private final AtomicLong delivered;
  private boolean first = true; // confined: the core serializes calls

  CountingTransport(AtomicLong delivered) {
    this.delivered = delivered;
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    if (first) {
      first = false;
      delivered.incrementAndGet(); // the headers
    } else {
      delivered.addAndGet(chunks.size());
    }
    callback.succeeded();
  }

  @Override
  public void close(CloseReason reason) {}

  /**
   * Waits until {@code delivered} reaches {@code expected}, reading it only every few dozen spin
   * hints: every read pulls the counter's cache line away from the delivery thread that is
   * incrementing it, and a tight loop of reads made that ping-pong part of what was measured.
   *
   * @return the count seen, at least {@code expected}
   */
  static long awaitAtLeast(AtomicLong delivered, long expected) {
    long now;
    while ((now = delivered.get()) < expected) {
      for (int i = 0; i < 32; i++) {
        Thread.onSpinWait();
      }
    }
    return now;
  }
}
