package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.container.ContainerResponseContext;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The output stream RESTEasy writes an SSE method's response through, once that response is ours
 * (taken over by sse-servlet, or answered by the stream filter): it passes writes on until {@link
 * #seal}, then drops them.
 *
 * <p>Why: RESTEasy writes an SSE method's head (status 200, {@code text/event-stream}, no entity)
 * when the method returns or first sends, and then, after every filter and writer interceptor has
 * run, two LFs and a flush through its own response's output stream. By then the servlet response
 * is sse-servlet's, in non-blocking mode, where RESTEasy's blocking write throws (or, racing a
 * write of the stream, adds two bytes). The only handle on that stream is RESTEasy's response
 * context ({@code ContainerResponseContextImpl.getHttpResponse().setOutputStream}), reached by
 * reflection on public methods so that sse-jaxrs does not depend on RESTEasy; with a runtime that
 * has no such methods {@link #install} returns null.
 *
 * <p><b>Thread safety:</b> {@link #seal} may be called from any thread; writes come from the thread
 * RESTEasy writes on.
 */
final class RestEasyHead extends OutputStream {
  private static final System.Logger LOG = System.getLogger(RestEasyHead.class.getName());

  private final OutputStream delegate;
  private final String owner;
  private volatile boolean sealed; // volatile: sealed on the request thread, read on RESTEasy's
  private final AtomicBoolean warned = new AtomicBoolean();

  private RestEasyHead(OutputStream delegate, String owner) {
    this.delegate = delegate;
    this.owner = owner;
  }

  /**
   * Puts a new head stream between RESTEasy's response and its output stream, or returns null if
   * {@code response} is not RESTEasy's (or its methods changed). {@code owner} names what owns the
   * response once sealed, for the warning about writes that are dropped.
   */
  static RestEasyHead install(ContainerResponseContext response, String owner) {
    try {
      Method getHttpResponse = response.getClass().getMethod("getHttpResponse");
      Object httpResponse = getHttpResponse.invoke(response);
      Method getOutputStream = httpResponse.getClass().getMethod("getOutputStream");
      Method setOutputStream =
          httpResponse.getClass().getMethod("setOutputStream", OutputStream.class);
      RestEasyHead head =
          new RestEasyHead((OutputStream) getOutputStream.invoke(httpResponse), owner);
      setOutputStream.invoke(httpResponse, head);
      return head;
    } catch (ReflectiveOperationException | RuntimeException notRestEasy) {
      LOG.log(Level.DEBUG, "not RESTEasy's response context: " + response.getClass(), notRestEasy);
      return null;
    }
  }

  /** From now on, drops what RESTEasy writes, and warns once if that is more than LFs. */
  void seal() {
    sealed = true;
  }

  @Override
  public void write(int b) throws IOException {
    if (sealed) {
      if (b != '\n') {
        warn();
      }
      return;
    }
    delegate.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (sealed) {
      // Empty lines dispatch nothing; RESTEasy ends the head it writes with two.
      for (int i = off; i < off + len; i++) {
        if (b[i] != '\n') {
          warn();
          return;
        }
      }
      return;
    }
    delegate.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    if (!sealed) {
      delegate.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (!sealed) {
      delegate.close();
    }
  }

  private void warn() {
    if (warned.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          () -> owner + " was sent to directly; dropped: publish to the topic instead");
    }
  }
}
