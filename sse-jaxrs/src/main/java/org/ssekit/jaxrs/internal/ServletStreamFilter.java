package org.ssekit.jaxrs.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.Selection;
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
 * <p>RESTEasy shows no sink to filters: it writes an SSE method's head without entity. The filter
 * then takes the sink the method registered on this request (or the method's {@code @SseTopic}),
 * gives the response a {@link StreamHandoff} entity so that the interceptor runs, and puts a {@link
 * RestEasyHead} in front of RESTEasy's own output, sealed at the takeover; the stream's end, and an
 * answer instead of a stream, complete the servlet exchange directly.
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
    Object entity = response.getEntity();
    RestEasyHead head = null;
    if (!(entity instanceof SseEventSink)) {
      // A head without sink (RESTEasy): its own writes must not reach the stream once it is ours.
      head = RestEasyHead.install(response, "an SseEventSink that streams " + target.selection);
      if (head == null) {
        LOG.log(Level.WARNING, "cannot take over an event stream of this JAX-RS runtime");
        target.refused();
        answer(requestContext, response, 503, "event stream unavailable on this JAX-RS runtime");
        return;
      }
      // An entity makes the runtime run the writer interceptors, where the takeover happens.
      entity = StreamHandoff.INSTANCE;
      response.setEntity(entity, NO_ANNOTATIONS, MediaType.valueOf(StreamHttp.CONTENT_TYPE));
    }
    streamHeaders(response.getHeaders());
    requestContext.setProperty(TAKEOVER_PROPERTY, new Takeover(target, async, entity, head));
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

  /**
   * On a head without sink, RESTEasy would keep the exchange open for its sink after writing the
   * answer, and then write two LFs: the interceptor writes the answer, seals RESTEasy's stream and
   * completes the exchange. A {@code 204} gets an entity that writes nothing, so that the
   * interceptor runs, and no {@code Content-Type}.
   */
  @Override
  void answered(ContainerRequestContext requestContext, ContainerResponseContext response) {
    if (requestContext.getProperty(HEAD_PROPERTY) == null) {
      return;
    }
    AsyncContext async = servletAsync();
    RestEasyHead head = RestEasyHead.install(response, "an answered stream request");
    boolean noContent = response.getEntity() == null;
    if (noContent) {
      response.setEntity(
          StreamHandoff.INSTANCE, NO_ANNOTATIONS, MediaType.valueOf(StreamHttp.CONTENT_TYPE));
    }
    requestContext.setProperty(ANSWERED_PROPERTY, new Answered(async, head, noContent));
  }

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    Object answered = context.getProperty(ANSWERED_PROPERTY);
    if (answered instanceof Answered) {
      context.removeProperty(ANSWERED_PROPERTY);
      ((Answered) answered).write(context);
      return;
    }
    Object property = context.getProperty(TAKEOVER_PROPERTY);
    if (!(property instanceof Takeover) || ((Takeover) property).entity != context.getEntity()) {
      context.proceed();
      return;
    }
    context.removeProperty(TAKEOVER_PROPERTY);
    Takeover takeover = (Takeover) property;
    SinkTarget target = takeover.target;
    AsyncContext async = takeover.async;
    HttpServletResponse response = (HttpServletResponse) async.getResponse();
    sizeBuffer(response);
    // Jersey's entity stream writes Jersey's status and headers into the servlet response on its
    // first
    // write: zero bytes make that happen here, on this thread, without a flush (see the class
    // comment).
    context.getOutputStream().write(NO_BYTES);
    // Whatever the sink is still sent goes here, not to the servlet response, which is the stream's
    // now.
    context.setOutputStream(new OwnedSinkStream(target.selection));
    if (takeover.head != null) {
      takeover.head.seal();
    }
    Optional<Subscription> subscription;
    try {
      subscription =
          streams.open(
              new AsyncReusingRequest(
                  (HttpServletRequest) async.getRequest(), async, target, takeover.head != null),
              response,
              target.selection,
              target);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "cannot stream " + target.selection + " through the servlet response", e);
      target.refused();
      if (takeover.head == null) {
        RealSseTopics.closeQuietly(target); // Jersey then completes the (empty) response
      } else {
        takeover.head.seal();
        async.complete();
      }
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

  /**
   * What the response filter hands the interceptor: the entity it gave the response, and, on a head
   * without sink, RESTEasy's stream to seal.
   */
  private static final class Takeover {
    final SinkTarget target;
    final AsyncContext async;
    final Object entity;
    final RestEasyHead head; // or null: the sink is the entity (Jersey)

    Takeover(SinkTarget target, AsyncContext async, Object entity, RestEasyHead head) {
      this.target = target;
      this.async = async;
      this.entity = entity;
      this.head = head;
    }
  }

  /** An answer on a head without sink, which the interceptor writes, then ends the exchange. */
  private static final class Answered {
    final AsyncContext async; // or null outside a servlet container
    final RestEasyHead head; // or null if the runtime's stream cannot be reached
    final boolean noContent;

    Answered(AsyncContext async, RestEasyHead head, boolean noContent) {
      this.async = async;
      this.head = head;
      this.noContent = noContent;
    }

    void write(WriterInterceptorContext context) throws IOException {
      if (noContent) {
        context.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
      }
      context.proceed();
      context.getOutputStream().write(NO_BYTES); // commits the status and headers
      if (head != null) {
        head.seal();
      }
      if (async != null) {
        async.complete();
      }
    }
  }

  /**
   * Makes {@code startAsync} return the async context that Jersey started, completed through
   * Jersey.
   */
  private static final class AsyncReusingRequest extends HttpServletRequestWrapper {
    private final SinkCompletedAsync async;
    private final String principal;

    AsyncReusingRequest(
        HttpServletRequest request,
        AsyncContext async,
        SinkTarget target,
        boolean headWithoutSink) {
      super(request);
      this.async = new SinkCompletedAsync(async, headWithoutSink ? null : target);
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
   * The entity stream of a taken-over sink: what is sent to the sink directly is dropped, with a
   * warning.
   */
  private static final class OwnedSinkStream extends OutputStream {
    private final Selection selection;
    private final AtomicBoolean warned = new AtomicBoolean();

    OwnedSinkStream(Selection selection) {
      this.selection = selection;
    }

    @Override
    public void write(int b) {
      warn();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > 0) {
        warn();
      }
    }

    private void warn() {
      if (warned.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            () ->
                "an SseEventSink that streams "
                    + selection
                    + " was sent to directly;"
                    + " dropped: publish to the topic instead");
      }
    }
  }
}
