package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.security.Principal;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.internal.StreamAuthorization;
import org.ssekit.internal.StreamHttp;

/**
 * Finds the responses whose entity is an {@link SseEventSink} that streams a topic or a selection
 * (registered with a topic broadcaster or {@link org.ssekit.jaxrs.SseTopics#subscribe}, or returned
 * by an {@link org.ssekit.jaxrs.SseTopic} method) and subscribes them. This base class writes
 * through the sink ({@link SinkTransport}); {@link ServletStreamFilter} takes the servlet response
 * over instead when there is one. On a runtime that writes an SSE method's head without entity
 * (RESTEasy), the sink is the one registered on the request while the method ran.
 *
 * <p>Registered with priority {@link #PRIORITY}. As a response filter it runs last, so it sees the
 * final entity and can still turn a refusal into the answer that Jersey writes: a {@code 204}, a
 * {@code 400}, or the {@linkplain StreamHttp#refusalStatus refusal answer} of a passing refusal. As
 * a writer interceptor it runs first, on Jersey's own entity stream.
 *
 * <p><b>Thread safety:</b> thread-safe; Jersey injects the {@code @Context} fields once, with
 * proxies for request-scoped values.
 */
class StreamFilter implements ContainerResponseFilter, WriterInterceptor {
  /** Below every standard priority ({@code Priorities.AUTHENTICATION} is 1000). */
  static final int PRIORITY = 100;

  /** The request property (a servlet request attribute) under which a registered sink waits. */
  static final String PENDING_SINK_PROPERTY = StreamFilter.class.getName() + ".pendingSink";

  /** The request property set when the response is a head without sink (RESTEasy). */
  static final String HEAD_PROPERTY = StreamFilter.class.getName() + ".headWithoutSink";

  static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

  final RealSseTopics topics;
  @Context private Providers providers;
  @Context private ResourceInfo resourceInfo;

  StreamFilter(RealSseTopics topics) {
    this.topics = topics;
  }

  Providers providers() {
    return providers;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object entity = response.getEntity();
    SseEventSink sink;
    if (entity instanceof SseEventSink) {
      sink = (SseEventSink) entity; // Jersey: the sink is the response's entity
    } else if (isHeadWithoutSink(request, response)) {
      sink = pendingSink(request); // RESTEasy: the sink is registered on this request, or null
      request.setProperty(HEAD_PROPERTY, Boolean.TRUE);
    } else {
      return;
    }
    // On refusals too: a page must be able to read them.
    JaxrsStreamRequests.corsHeaders(topics.cors, request, response.getHeaders());
    SelectionTemplate template = topics.template(resourceMethod());
    String lastEventId = lastEventId(request);
    SinkTarget target =
        sink == null ? null : topics.registry.written(sink, lastEventId, template != null);
    if (target == null) {
      if (template == null) {
        return; // a sink the application writes itself
      }
      Selection selection;
      try {
        selection =
            template.resolve(
                request.getUriInfo().getPathParameters(),
                request.getUriInfo().getQueryParameters());
      } catch (IllegalArgumentException badTopic) {
        answer(request, response, 400, badTopic.getMessage());
        return;
      }
      target = new SinkTarget(sink, selection, null);
    }
    target.lastEventId(lastEventId);
    if (target.isCloseRequested()) {
      // Its broadcaster was closed between register and now.
      target.refused();
      release(request, target);
      return;
    }
    if (authorize(request, response, target)) {
      open(request, response, target);
    }
  }

  /**
   * Runs the authorizer on {@code target}'s selection, before any byte of the stream: hands the
   * target its allowance, or answers the refusal ({@code 401} with {@code WWW-Authenticate}, or
   * {@code 403}, and the reason as plain text; an unavailable decision as the endpoint's refusal
   * answer) and returns false.
   */
  private boolean authorize(
      ContainerRequestContext request, ContainerResponseContext response, SinkTarget target) {
    long authorizingSince = System.nanoTime(); // a revocation from now on ends this stream
    Authorization authorization = Authorization.allow();
    if (topics.authorizer != Authorizer.ALLOW_ALL) {
      authorization =
          StreamAuthorization.decide(
              topics.authorizer, JaxrsStreamRequests.streamRequest(request, target.selection));
    }
    if (authorization.outcome() == Authorization.Outcome.UNAVAILABLE) {
      // A passing refusal: answered as the hub's own, so that a browser comes back.
      target.refused();
      release(request, target);
      answerRefusal(request, response, false, authorization.reason());
      return false;
    }
    if (!authorization.isAllowed()) {
      target.refused();
      release(request, target);
      answer(request, response, authorization.status(), authorization.reason());
      StreamAuthorization.forEachRefusalHeader(authorization, response.getHeaders()::putSingle);
      return false;
    }
    Principal principal = JaxrsStreamRequests.principal(request);
    target.authorized(
        authorization, principal == null ? null : principal.getName(), authorizingSince);
    return true;
  }

  /**
   * Whether {@code response} is the head of an event stream whose sink is not its entity: RESTEasy
   * writes an SSE method's head (status 200, {@code text/event-stream}, no entity) when the method
   * returned or first sent, and keeps the sink to itself. Only the servlet write path can take such
   * a stream over (it needs the servlet response); without one, RESTEasy's sinks are not served.
   */
  boolean isHeadWithoutSink(ContainerRequestContext request, ContainerResponseContext response) {
    return false;
  }

  /**
   * Returns the sink that a broadcaster or {@link org.ssekit.jaxrs.SseTopics#subscribe} registered
   * on {@code request}'s thread while the resource method ran, or null.
   */
  SseEventSink pendingSink(ContainerRequestContext request) {
    Object pending = request.getProperty(PENDING_SINK_PROPERTY);
    return pending instanceof SseEventSink ? (SseEventSink) pending : null;
  }

  /**
   * Notes that {@code target} was registered, on the request being served on this thread if there
   * is one, for {@link #pendingSink}. This base class cannot see the request.
   */
  void registeredOnThisThread(SinkTarget target) {}

  /** Subscribes {@code target}, writing through its sink. */
  void open(ContainerRequestContext request, ContainerResponseContext response, SinkTarget target) {
    SinkTransport transport;
    try {
      transport = topics.subscribeThroughSink(target);
    } catch (IllegalArgumentException | UnsupportedOperationException unserved) {
      answer(request, response, 400, StreamHttp.unservedSelectionReason(unserved));
      return;
    }
    if (transport == null) {
      answerRefusal(request, response, false, "too many event streams; retry later");
      return;
    }
    CloseReason early = transport.claimStream();
    if (early != null) {
      answerRefusal(
          request, response, early == CloseReason.TOPIC_CLOSED, "event stream refused: " + early);
    } else {
      streamHeaders(response.getHeaders());
    }
  }

  /**
   * Replaces the sink with the answer to a refusal: {@code 204} for a closed topic, else the
   * endpoint's refusal answer (a stream of one {@code retry:}, or a {@code 503} with {@code text}).
   */
  void answerRefusal(
      ContainerRequestContext request,
      ContainerResponseContext response,
      boolean topicClosed,
      String text) {
    int status = StreamHttp.refusalStatus(topics.refusalAnswer, topicClosed);
    if (status != 200) {
      answer(request, response, status, status == 204 ? null : text);
      return;
    }
    response.setStatus(200);
    streamHeaders(response.getHeaders());
    response.setEntity(
        StreamHttp.refusalBody(topics.retryAfter),
        NO_ANNOTATIONS,
        MediaType.valueOf(StreamHttp.CONTENT_TYPE));
    answered(request, response);
  }

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    context.proceed();
  }

  static void streamHeaders(MultivaluedMap<String, Object> headers) {
    headers.putSingle(HttpHeaders.CONTENT_TYPE, StreamHttp.CONTENT_TYPE);
    StreamHttp.forEachStreamHeader(headers::putSingle);
  }

  /** Replaces the stream with a short answer to {@code request} that the runtime writes. */
  void answer(
      ContainerRequestContext request, ContainerResponseContext response, int status, String text) {
    answer(response, status, text);
    answered(request, response);
  }

  /**
   * Called once {@code response} holds the answer (not a stream) to {@code request}: the servlet
   * path ends the exchange itself when the runtime would keep it open for its sink (a head without
   * sink). Nothing to do here: Jersey completes the exchange of an answered sink.
   */
  void answered(ContainerRequestContext request, ContainerResponseContext response) {}

  /**
   * Ends the sink of {@code target}, which is not streamed. On a head without sink (RESTEasy) the
   * sink is left alone: closing it inside the response filter would make RESTEasy write a second
   * head; the servlet path ends that exchange instead.
   */
  private static void release(ContainerRequestContext request, SinkTarget target) {
    if (request.getProperty(HEAD_PROPERTY) == null) {
      RealSseTopics.closeQuietly(target);
    }
  }

  /** Replaces the sink with a short answer that Jersey writes and completes. */
  private void answer(ContainerResponseContext response, int status, String text) {
    response.setStatus(status);
    if (status == 503) {
      response
          .getHeaders()
          .putSingle(
              StreamHttp.RETRY_AFTER_HEADER, StreamHttp.retryAfterSeconds(topics.retryAfter));
    }
    if (text == null) {
      response.setEntity(null);
      response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
    } else {
      response.setEntity(
          text + "\n", NO_ANNOTATIONS, MediaType.valueOf("text/plain;charset=UTF-8"));
    }
  }

  private Method resourceMethod() {
    try {
      return resourceInfo == null ? null : resourceInfo.getResourceMethod();
    } catch (RuntimeException outsideRequest) {
      return null;
    }
  }

  private static String lastEventId(ContainerRequestContext request) {
    return StreamHttp.lastEventId(
        request.getHeaderString(StreamHttp.LAST_EVENT_ID_HEADER),
        () ->
            request.getUriInfo().getQueryParameters().getFirst(StreamHttp.LAST_EVENT_ID_PARAMETER));
  }
}
