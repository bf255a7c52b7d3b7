package org.ssekit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.Optional;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.SubscriptionRefusedException;
import org.ssekit.internal.StreamAuthorization;
import org.ssekit.internal.StreamHttp;

/**
 * Checks an exchange, authorizes it, takes it async and subscribes it to a selection of topics;
 * ends the subscription when its authorization expires.
 */
public final class ServletStreamOpener {
  private static final System.Logger LOG = System.getLogger(ServletStreamOpener.class.getName());

  private ServletStreamOpener() {}

  /** See {@link org.ssekit.servlet.ServletStreams#open}. */
  public static Optional<Subscription> open(
      SseHub hub,
      HttpServletRequest request,
      HttpServletResponse response,
      Selection selection,
      SseListener listener,
      StreamSettings settings) {
    if (!request.isAsyncSupported()) {
      throw new IllegalStateException(
          "async is not supported for "
              + request.getRequestURI()
              + ": set asyncSupported=true on the servlet and on every filter in its chain"
              + " (@WebServlet(asyncSupported = true), <async-supported>true</async-supported> in web.xml,"
              + " or setAsyncSupported(true) on the ServletHolder, FilterHolder or Wrapper)");
    }
    if (response.isCommitted()) {
      throw new IllegalStateException(
          "response already committed: an event stream must be opened before anything is written");
    }
    ServletOutputStream out;
    try {
      out = response.getOutputStream();
    } catch (IllegalStateException writerTaken) {
      throw new IllegalStateException(
          "response writer already taken: an event stream writes through getOutputStream()",
          writerTaken);
    } catch (IOException e) {
      throw new IllegalStateException("response output stream unavailable", e);
    }
    ServletRequests.corsHeaders(settings.cors(), request, response);
    long authorizingSince = System.nanoTime(); // a revocation from now on ends this stream
    Authorization authorization = Authorization.allow();
    if (settings.authorizer() != Authorizer.ALLOW_ALL) {
      authorization =
          StreamAuthorization.decide(
              settings.authorizer(), ServletRequests.streamRequest(request, selection));
      if (!authorization.isAllowed()) {
        StreamHeaders.answerUnauthorized(
            request, response, out, authorization, settings.refusalAnswer(), settings.retryAfter());
        return Optional.empty();
      }
    }
    String lastEventId = lastEventId(request);
    StreamHeaders.apply(response, settings.bufferSize());
    AsyncContext async = request.startAsync(request, response);
    async.setTimeout(0);
    ServletTransport transport =
        new ServletTransport(async, response, out, settings.refusalAnswer(), settings.retryAfter());
    async.addListener(new ContainerEvents(transport));
    out.setWriteListener(transport);
    Subscription subscription;
    try {
      subscription = hub.subscribe(selection, lastEventId, transport, listener);
    } catch (SubscriptionRefusedException refused) {
      LOG.log(Level.DEBUG, () -> "refused a stream of " + selection + ": " + refused.getMessage());
      transport.refuse();
      return Optional.empty();
    } catch (IllegalArgumentException | UnsupportedOperationException unserved) {
      // The selection's size or shape, which the hub checks before admitting anyone: the request's
      // fault (or the log's limit), not the server's, so a 400 rather than a 500.
      LOG.log(Level.DEBUG, () -> "no stream of " + selection + ": " + unserved.getMessage());
      transport.reject(StreamHttp.unservedSelectionReason(unserved));
      return Optional.empty();
    } catch (RuntimeException e) {
      transport.refuse();
      throw e;
    }
    transport.bind(subscription);
    Principal principal = request.getUserPrincipal();
    StreamAuthorization.bind(
        subscription,
        authorization,
        principal == null ? null : principal.getName(),
        authorizingSince);
    return Optional.of(subscription);
  }

  /** Returns the client's last event id: the header, else the query parameter, else null. */
  static String lastEventId(HttpServletRequest request) {
    return StreamHttp.lastEventId(
        request.getHeader(StreamHttp.LAST_EVENT_ID_HEADER),
        () -> request.getParameter(StreamHttp.LAST_EVENT_ID_PARAMETER));
  }
}
