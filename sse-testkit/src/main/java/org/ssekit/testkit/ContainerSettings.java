package org.ssekit.testkit;

import java.util.Objects;

/**
 * How a {@link TestContainer} is tuned: the request thread pool and whether the connector also
 * speaks h2c. Every container also takes a large accept backlog, so that bursts of connections are
 * not refused.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param threadName the name of the request threads (Jetty; Tomcat names its own)
 * @param maxThreads the most request threads
 * @param h2c whether the connector also serves HTTP/2 without TLS (prior knowledge and upgrade)
 * @param sendBufferSize the {@code SO_SNDBUF} of accepted connections in bytes, or 0 for the
 *     system's (which Linux grows to {@code tcp_wmem}'s maximum, 4 MiB here, so that a client that
 *     stopped reading is noticed only once megabytes are buffered)
 */
public record ContainerSettings(
    String threadName, int maxThreads, boolean h2c, int sendBufferSize) {
  /** What the servlet scenario suites run with: 64 threads named {@code jetty-test}, and h2c. */
  public static final ContainerSettings DEFAULTS = new ContainerSettings("jetty-test", 64, true, 0);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if {@code maxThreads} is under 8 or {@code sendBufferSize}
   *     negative
   * @throws NullPointerException if {@code threadName} is null
   */
  public ContainerSettings {
    Objects.requireNonNull(threadName, "threadName");
    if (maxThreads < 8) {
      throw new IllegalArgumentException("maxThreads < 8: " + maxThreads);
    }
    if (sendBufferSize < 0) {
      throw new IllegalArgumentException("sendBufferSize < 0: " + sendBufferSize);
    }
  }

  /** Returns these settings with {@code maxThreads} request threads named {@code threadName}. */
  public ContainerSettings withThreads(String threadName, int maxThreads) {
    return new ContainerSettings(threadName, maxThreads, h2c, sendBufferSize);
  }

  /**
   * Returns these settings with accepted connections' {@code SO_SNDBUF} set to {@code bytes} (the
   * kernel doubles it), so that a client that stopped reading pushes back within kilobytes.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ContainerSettings withSendBufferSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("sendBufferSize <= 0: " + bytes);
    }
    return new ContainerSettings(threadName, maxThreads, h2c, bytes);
  }

  /** Returns these settings with HTTP/1.1 only. */
  public ContainerSettings withoutH2c() {
    return new ContainerSettings(threadName, maxThreads, false, sendBufferSize);
  }
}
