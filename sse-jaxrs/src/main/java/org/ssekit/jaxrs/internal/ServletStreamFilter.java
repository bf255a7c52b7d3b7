package org.ssekit.jaxrs.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.Subscription;
import org.ssekit.internal.StreamHttp;
import org.ssekit.servlet.ServletStreams;

/**
 * The servlet write path: when Jersey runs in a servlet container, a topic's sink is taken over and
 * streamed by sse-servlet's non-blocking {@link ServletStreams}, exactly like a servlet stream.
 *
 * <p>How the response changes hands, on the request thread, while Jersey writes the sink's
 * response:
 *
 * <ol>
 *   <li>Jersey suspended the request before calling the resource method, so the servlet request is
 *       async already; the response filter records the takeover.
 *   <li>The writer interceptor (outermost) sets the stream's response buffer size, then writes zero
 *       bytes to Jersey's entity stream. That makes Jersey copy its status and headers into the
 *       servlet response now, without flushing it; it does not touch the servlet response again
 *       (the sink's entity stream is replaced with one that drops writes).
 *   <li>{@link ServletStreams#open} then sets the stream's headers and starts writing from the
 *       hub's threads, reusing the async context Jersey started. The interceptor does not call
 *       {@code proceed}: no Jersey writer ever runs for the sink.
 *   <li>When the stream ends, the exchange is completed by closing Jersey's sink, so that Jersey
 *       completes it and releases the request as it does for its own streams.
 * </ol>
 *
 * <p>Loaded only when the Servlet API and sse-servlet are on the class path (see {@link
 * ServletProbe}).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class ServletStreamFilter extends StreamFilter {
  private static final System.Logger LOG = System.getLogger(ServletStreamFilter.class.getName());
  private static final String TAKEOVER_PROPERTY = ServletStreamFilter.class.getName() + ".takeover";
  private static final String ANSWERED_PROPERTY = ServletStreamFilter.class.getName() + ".answered";
  private static final byte[] NO_BYTES = new byte[0];

  private final ServletStreams streams;
  // Jersey's request-scoped proxy; null (or failing) when no servlet container is underneath.
  @Context private HttpServletRequest request;

  ServletStreamFilter(RealSseTopics topics) {
    super(topics);
    this.streams =
        ServletStreams.builder(topics.hub())
            .bufferSize(topics.bufferSize)
            .refusalAnswer(topics.refusalAnswer)
            .build();
  }

  @Override
  void open(
      ContainerRequestContext requestContext,
      ContainerResponseContext response,
      SinkTarget target) {
    AsyncContext async = servletAsync();
    if (async == null) {
      super.open(requestContext, response, target);
      return;
    }
    streamHeaders(response.getHeaders());
    Object entity = response.getEntity();
    if (!(entity instanceof SseEventSink)) {
      // A head without entity (RESTEasy): one that makes the runtime run the writer interceptors.
      entity = StreamHandoff.INSTANCE;
      response.setEntity(entity, NO_ANNOTATIONS, MediaType.valueOf(StreamHttp.CONTENT_TYPE));
    }
    requestContext.setProperty(TAKEOVER_PROPERTY, new Takeover(target, async, entity));
  }

  @Override
  boolean isHeadWithoutSink(ContainerRequestContext request, ContainerResponseContext response) {
    return response.getEntity() == null
        && response.getStatus() == 200
        && MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(response.getMediaType())
        && request.getProperty(TAKEOVER_PROPERTY) == null
        && servletAsync() != null;
  }

  @Override
  void registeredOnThisThread(SinkTarget target) {
    HttpServletRequest current = request;
    if (current == null) {
      return;
    }
    try {
      current.setAttribute(PENDING_SINK_PROPERTY, target.sink);
    } catch (RuntimeException outsideRequest) {
      // Registered outside a request: only a runtime that shows the sink to filters (Jersey) or a
      // sink written already can stream it.
      LOG.log(Level.TRACE, "IGNORED: no request behind this registration", outsideRequest);
    }
  }

  @Override
  void answer(
      ContainerRequestContext requestContext,
      ContainerResponseContext response,
      int status,
      String text) {
    boolean headWithoutSink = !(response.getEntity() instanceof SseEventSink);
    answer(response, status, text);
    if (headWithoutSink && text != null) {
      // The runtime would keep the exchange open for its sink: the interceptor ends it.
      requestContext.setProperty(ANSWERED_PROPERTY, Boolean.TRUE);
    }
  }

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (context.getProperty(ANSWERED_PROPERTY) != null) {
      context.removeProperty(ANSWERED_PROPERTY);
      context.proceed();
      // What the runtime still writes for its sink (RESTEasy: two LFs) goes nowhere.
      context.setOutputStream(new OwnedSinkStream("an answered stream request"));
      AsyncContext async = servletAsync();
      if (async != null) {
        async.complete();
      }
      return;
    }
    Object property = context.getProperty(TAKEOVER_PROPERTY);
    if (!(property instanceof Takeover) || ((Takeover) property).entity != context.getEntity()) {
      context.proceed();
      return;
    }
    context.removeProperty(TAKEOVER_PROPERTY);
    SinkTarget target = ((Takeover) property).target;
    AsyncContext async = ((Takeover) property).async;
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    sizeBuffer(response);
    // Jersey's entity stream writes Jersey's status and headers into the servlet response on its
    // first
    // write: zero bytes make that happen here, on this thread, without a flush (see the class
    // comment).
    context.getOutputStream().write(NO_BYTES);
    // Whatever the sink is still sent goes here, not to the servlet response, which is the stream's
    // now.
    context.setOutputStream(
        new OwnedSinkStream("an SseEventSink that streams " + target.selection));
    Optional<Subscription> subscription;
    try {
      subscription =
          streams.open(
              new AsyncReusingRequest((HttpServletRequest) async.getRequest(), async, target),
              response,
              target.selection,
              target);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "cannot stream " + target.selection + " through the servlet response", e);
      target.refused();
      RealSseTopics.closeQuietly(target); // Jersey then completes the (empty) response
      return;
    }
    if (subscription.isPresent()) {
      target.bind(subscription.get());
    } else {
      target.refused(); // the hub refused it, or would not serve it: ServletStreams answered
    }
  }

  /**
   * Sets the stream's buffer size before anything is written: Jetty's {@code HttpOutput} takes its
   * aggregation buffer, at the size the response has then (32 KiB, direct, by default), on the
   * first write, even of zero bytes, and holds it until the response ends; a later {@code
   * setBufferSize} does not resize it. {@link ServletStreams#open} sets the size again, as for any
   * servlet.
   */
  private void sizeBuffer(HttpServletResponse response) {
    try {
      response.setBufferSize(topics.bufferSize);
    } catch (IllegalStateException alreadyWritten) {
      // Something wrote to the response first; only the buffer's size is lost, and
      // ServletStreams.open
      // refuses the response, saying why, if it is committed.
      LOG.log(Level.TRACE, "IGNORED: cannot size the response buffer", alreadyWritten);
    }
  }

  private AsyncContext servletAsync() {
    HttpServletRequest current = request;
    if (current == null) {
      return null;
    }
    try {
      return current.isAsyncStarted() ? current.getAsyncContext() : null;
    } catch (RuntimeException notInServletContainer) {
      LOG.log(
          Level.TRACE,
          "IGNORED: no servlet request behind this JAX-RS request",
          notInServletContainer);
      return null;
    }
  }

  /** What the response filter hands the interceptor, and the entity it gave the response. */
  private static final class Takeover {
    final SinkTarget target;
    final AsyncContext async;
    final Object entity;

    Takeover(SinkTarget target, AsyncContext async, Object entity) {
      this.target = target;
      this.async = async;
      this.entity = entity;
    }
  }

  /**
   * Makes {@code startAsync} return the async context that Jersey started, completed through
   * Jersey.
   */
  private static final class AsyncReusingRequest extends HttpServletRequestWrapper {
    private final JerseyCompletedAsync async;
    private final String principal;

    AsyncReusingRequest(HttpServletRequest request, AsyncContext async, SinkTarget target) {
      super(request);
      this.async = new JerseyCompletedAsync(async, target);
      this.principal = target.principalName();
    }

    /**
     * Returns the principal the JAX-RS stream filter attributed the stream to (the authorizer's, or
     * the {@code SecurityContext}'s), so that sse-servlet attributes it to the same one.
     */
    @Override
    public Principal getUserPrincipal() {
      return principal == null ? null : () -> principal;
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
      return async;
    }
  }

  /**
   * Jersey's async context, completed by closing Jersey's sink: Jersey then completes the exchange
   * itself and releases its request scope, and its own completion listener does not complete it a
   * second time (Tomcat logs that as a failed listener). Everything else is delegated.
   */
  private static final class JerseyCompletedAsync implements AsyncContext {
    private final AsyncContext delegate;
    private final SinkTarget target;
    private final AtomicBoolean completed = new AtomicBoolean();

    JerseyCompletedAsync(AsyncContext delegate, SinkTarget target) {
      this.delegate = delegate;
      this.target = target;
    }

    @Override
    public void complete() {
      if (!completed.compareAndSet(false, true)) {
        return;
      }
      if (target.sink == null) {
        // RESTEasy's @SseTopic stream: its sink was never seen; its async listener sees this.
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

  /**
   * The entity stream of a taken-over sink: what is sent to the sink directly is dropped, with a
   * warning.
   */
  private static final class OwnedSinkStream extends OutputStream {
    private final String what;
    private final AtomicBoolean warned = new AtomicBoolean();

    OwnedSinkStream(String what) {
      this.what = what;
    }

    @Override
    public void write(int b) {
      if (b != '\n') {
        warn();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      // Empty lines dispatch nothing; RESTEasy ends the head it writes with two (its DOUBLE_EOL).
      for (int i = off; i < off + len; i++) {
        if (b[i] != '\n') {
          warn();
          return;
        }
      }
    }

    private void warn() {
      if (warned.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            () -> what + " was sent to directly; dropped: publish to the topic instead");
      }
    }
  }
}
