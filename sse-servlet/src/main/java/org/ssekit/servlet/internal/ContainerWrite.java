package org.ssekit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;

/**
 * The bytes of the one write in flight and the container calls that hand them over: all the bytes
 * in one {@code write} call, then a flush, each only when {@code isReady()} allows it.
 *
 * <p><b>Thread safety:</b> not thread-safe. {@link #load} and {@link #drop} are called under the
 * {@link StreamStateMachine}'s lock; {@link #step} only by the thread that the machine made the
 * driver, which it hands the write over to through that lock.
 */
final class ContainerWrite {
  /** What one {@link #step} found: bytes or a flush handed over, the container busy, or done. */
  enum Step {
    PROGRESSED,
    BLOCKED,
    DONE
  }

  private final ServletOutputStream out;
  // Handed over through the machine's lock (see the class comment).
  private byte[] pending;
  private boolean flushPending;

  ContainerWrite(ServletOutputStream out) {
    this.out = out;
  }

  /** Makes {@code bytes}, then a flush, the write in flight. */
  void load(byte[] bytes) {
    pending = bytes;
    flushPending = true;
  }

  /** Drops what is left of the write in flight (the stream ended and nobody drives it). */
  void drop() {
    pending = null;
  }

  /**
   * One container call, without any lock: the bytes, then the flush; or none if the container is
   * busy or all is done.
   *
   * @throws IOException if the container failed the call (the client went away)
   */
  Step step() throws IOException {
    if (!out.isReady()) {
      return Step.BLOCKED;
    }
    if (pending != null) {
      byte[] bytes = pending;
      pending = null;
      if (bytes.length > 0) {
        out.write(bytes);
      }
      return Step.PROGRESSED;
    }
    if (flushPending) {
      flushPending = false;
      out.flush();
      return Step.PROGRESSED;
    }
    return Step.DONE;
  }
}
