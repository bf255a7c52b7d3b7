package org.ssekit.jaxrs.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Jersey's async context, completed by closing Jersey's sink: Jersey then completes the exchange
 * itself and releases its request scope, and its own completion listener does not complete it a
 * second time (Tomcat logs that as a failed listener). Everything else is delegated. Without a
 * target (a head without sink: RESTEasy) it completes directly: RESTEasy's async listener sees
 * that, and closing RESTEasy's sink before its head is flushed would write a second head.
 *
 * <p><b>Thread safety:</b> thread-safe; {@link #complete} acts once.
 */
final class SinkCompletedAsync implements AsyncContext {
  private static final System.Logger LOG = System.getLogger(SinkCompletedAsync.class.getName());

  private final AsyncContext delegate;
  private final SinkTarget target; // or null: complete directly
  private final AtomicBoolean completed = new AtomicBoolean();

  SinkCompletedAsync(AsyncContext delegate, SinkTarget target) {
    this.delegate = delegate;
    this.target = target;
  }

  @Override
  public void complete() {
    if (!completed.compareAndSet(false, true)) {
      return;
    }
    if (target == null || target.sink == null) {
      delegate.complete();
      return;
    }
    try {
      // Completes now, or, while Jersey is still writing the sink's response, when it finishes.
      target.sink.close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED: Jersey could not close its sink; completing directly", e);
      delegate.complete();
    }
  }

  @Override
  public ServletRequest getRequest() {
    return delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return delegate.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return delegate.hasOriginalRequestAndResponse();
  }

  @Override
  public void dispatch() {
    delegate.dispatch();
  }

  @Override
  public void dispatch(String path) {
    delegate.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    delegate.dispatch(context, path);
  }

  @Override
  public void start(Runnable run) {
    delegate.start(run);
  }

  @Override
  public void addListener(AsyncListener listener) {
    delegate.addListener(listener);
  }

  @Override
  public void addListener(
      AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
    delegate.addListener(listener, servletRequest, servletResponse);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
    return delegate.createListener(type);
  }

  @Override
  public void setTimeout(long timeoutMillis) {
    delegate.setTimeout(timeoutMillis);
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }
}
