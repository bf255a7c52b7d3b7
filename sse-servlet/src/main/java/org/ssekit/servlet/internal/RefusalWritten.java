package org.ssekit.servlet.internal;

import org.ssekit.WriteCallback;

/**
 * Completes the exchange of a refused stream once the {@code retry:} body of its answer has been
 * written, or could not be (the client went meanwhile).
 *
 * <p><b>Thread safety:</b> stateless; called once, by the thread that finished the write.
 */
final class RefusalWritten implements WriteCallback {
  private final ServletTransport transport;

  RefusalWritten(ServletTransport transport) {
    this.transport = transport;
  }

  @Override
  public void succeeded() {
    transport.endAndComplete();
  }

  @Override
  public void failed(Throwable cause) {
    transport.endAndComplete();
  }
}
