package org.ssekit;

/**
 * SPI: receives a hub's sampled delivery latencies, for a metrics binder (such as sse-micrometer's)
 * that keeps the histogram; attached with {@link SseHub#sampleLatency}.
 *
 * <p>A latency runs from the moment the hub took the event from its {@link EventLog} for fan-out
 * (for the in-memory log: during {@link SseHub#publish}; for a shared log, when the event arrived
 * from it) to the completion of the {@link SseTransport#write} that carried the event to one
 * subscriber. Of every sampled event, each subscriber whose write of it completes reports one
 * latency; events of a stream that is still starting (held back behind its replay) are not sampled.
 * Unsampled events cost one volatile read per publish and nothing per delivery.
 *
 * <p><b>Thread safety:</b> must be thread-safe: called on delivery and container threads, never
 * while a hub lock is held. It must not block; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface DeliveryLatencySink {
  /**
   * Records one delivery latency in nanoseconds (never negative) of an event of {@code topic}.
   * Topic names are unbounded: do not make each one a metric tag; map them to a few groups.
   */
  void record(String topic, long latencyNanos);

  /**
   * A sink's attachment to a hub; closing it stops the sampling, and may be done more than once.
   *
   * <p><b>Thread safety:</b> thread-safe.
   */
  interface Attachment extends AutoCloseable {
    /** Detaches the sink; a latency being reported at that moment may still arrive. */
    @Override
    void close();
  }
}
