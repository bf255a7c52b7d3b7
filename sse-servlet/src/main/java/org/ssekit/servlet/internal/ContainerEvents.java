package org.ssekit.servlet.internal;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.ssekit.ClientGoneException;

/**
 * Reports the container's end of an exchange to its {@link ServletTransport}: an error, a
 * completion or a timeout all mean that the stream is over.
 *
 * <p><b>Thread safety:</b> stateless; called by the container on any thread.
 */
final class ContainerEvents implements AsyncListener {
  private final ServletTransport transport;

  ContainerEvents(ServletTransport transport) {
    this.transport = transport;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    // Tomcat calls this under the monitor that a complete() of ours takes: never wait here.
    transport.gone(new ClientGoneException("stream completed by the container", null), false);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    // The timeout is disabled; a container that still fires it has ended the exchange.
    transport.gone(
        new ClientGoneException("container timed the stream out", event.getThrowable()), true);
  }

  @Override
  public void onError(AsyncEvent event) {
    transport.gone(
        new ClientGoneException("stream failed: " + event.getThrowable(), event.getThrowable()),
        true);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Not re-dispatched: nothing to do.
  }
}
