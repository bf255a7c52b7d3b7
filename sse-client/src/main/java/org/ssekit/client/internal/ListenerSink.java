package org.ssekit.client.internal;

import org.ssekit.client.EventSource;
import org.ssekit.client.EventSourceListener;
import org.ssekit.client.ReceivedEvent;

/**
 * Hands a source's signals to an {@link EventSourceListener}. A listener that throws is logged once
 * and closes the source, which then reports what it threw to {@code onError}.
 *
 * <p><b>Thread safety:</b> confined to the delivery's drain.
 */
final class ListenerSink implements Sink {
  private static final System.Logger LOG = System.getLogger(ListenerSink.class.getName());

  private final RealEventSource source;
  private final EventSourceListener listener;

  ListenerSink(RealEventSource source, EventSourceListener listener) {
    this.source = source;
    this.listener = listener;
  }

  @Override
  public void open() {
    try {
      listener.onOpen(source);
    } catch (RuntimeException | Error e) {
      threw("onOpen", e);
    }
  }

  @Override
  public void event(ReceivedEvent event) {
    try {
      listener.onEvent(source, event);
    } catch (RuntimeException | Error e) {
      threw("onEvent", e);
    }
  }

  @Override
  public void comment(String comment) {
    try {
      listener.onComment(source, comment);
    } catch (RuntimeException | Error e) {
      threw("onComment", e);
    }
  }

  @Override
  public void failure(Throwable cause) {
    try {
      listener.onError(source, cause);
    } catch (RuntimeException | Error e) {
      threw("onError", e);
    }
  }

  @Override
  public void closed(Throwable cause) {
    try {
      listener.onClosed(source);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, source + " listener onClosed threw", e);
    }
  }

  private void threw(String method, Throwable e) {
    LOG.log(System.Logger.Level.WARNING, source + " listener " + method + " threw; closing", e);
    source.listenerFailed(e);
  }

  /** Names the source, for {@link EventSource} diagnostics. */
  @Override
  public String toString() {
    return "ListenerSink[" + source + "]";
  }
}
