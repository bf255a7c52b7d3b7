package org.ssekit.interop;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ssekit.Authorizer;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;

/**
 * The servlets of the two sse-servlet paths, mapped by path spec. Streams and refusals go through
 * {@link SseServlet}; only the wrong content type (which the library never produces) and the
 * browser's page are plain servlets.
 */
final class InteropServlets {
  private InteropServlets() {}

  /** Returns the servlets to map, by path spec, in mapping order. */
  static Map<String, HttpServlet> create(SseHub hub, OpeningOffers offers) {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put(Endpoint.STREAM.pathSpec(), new TopicStreamServlet(hub, offers));
    servlets.put(Endpoint.REFUSED.pathSpec(), new RefusingServlet(hub));
    servlets.put(Endpoint.WRONG_CONTENT_TYPE.pathSpec(), new NotAnEventStreamServlet());
    servlets.put(Endpoint.UNAVAILABLE.pathSpec(), new ServiceUnavailableServlet(hub, offers));
    servlets.put(Endpoint.SELECTION.pathSpec(), new SelectionStreamServlet(hub));
    servlets.put(
        Endpoint.AUTHORIZED.pathSpec(),
        new AuthorizedSelectionServlet(hub, InteropTokens.authorizer()));
    servlets.put("/page.html", new PageServlet());
    return servlets;
  }

  /** Streams the topic named by the path: {@code /sse/<topic>}. */
  static final class TopicStreamServlet extends SseServlet {
    private static final long serialVersionUID = 1L;
    private final transient OpeningOffers offers;

    TopicStreamServlet(SseHub hub, OpeningOffers offers) {
      super(hub);
      this.offers = offers;
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String topic = Endpoint.topicOf(request.getRequestURI());
      return Admission.accept(topic, offers.listenerFor(topic));
    }
  }

  /**
   * Streams the selection that the query names under the path's topic ({@link SelectionQuery}): a
   * selection it cannot build is refused with {@code 400} and the rule, as the {@link Admission}
   * documentation tells an application to; one the hub refuses (too many entries) the stream
   * answers with {@code 400} itself.
   */
  static class SelectionStreamServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    SelectionStreamServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String run = Endpoint.topicOf(request.getRequestURI());
      try {
        return Admission.accept(SelectionQuery.selection(run, request.getParameterMap()));
      } catch (IllegalArgumentException e) {
        return Admission.refuse(400, e.getMessage());
      }
    }
  }

  /**
   * Streams a selection as {@link SelectionStreamServlet} does, for the clients that {@code
   * authorizer} allows to read all of it: the library answers {@code 401} with {@code
   * WWW-Authenticate} or {@code 403} before any byte of the stream, and ends the stream when the
   * allowance expires.
   */
  static final class AuthorizedSelectionServlet extends SelectionStreamServlet {
    private static final long serialVersionUID = 1L;
    private final transient Authorizer authorizer;

    AuthorizedSelectionServlet(SseHub hub, Authorizer authorizer) {
      super(hub);
      this.authorizer = authorizer;
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return builder.authorizer(authorizer);
    }
  }

  /** Streams like {@link TopicStreamServlet}; passing refusals answer {@code 503}. */
  static final class ServiceUnavailableServlet extends SseServlet {
    private static final long serialVersionUID = 1L;
    private final transient OpeningOffers offers;

    ServiceUnavailableServlet(SseHub hub, OpeningOffers offers) {
      super(hub);
      this.offers = offers;
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return builder.refusalAnswer(RefusalAnswer.SERVICE_UNAVAILABLE);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String topic = Endpoint.topicOf(request.getRequestURI());
      return Admission.accept(topic, offers.listenerFor(topic));
    }
  }

  /** Refuses every client with {@code 403}, as an application's {@code admit} does. */
  static final class RefusingServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    RefusingServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      return Admission.refuse(403, "interop: this endpoint refuses every client");
    }
  }

  /**
   * Answers {@code 200} with {@code text/plain} and a body that would be an event if it were an
   * event stream: a client must fail the connection instead of dispatching it.
   */
  static final class NotAnEventStreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String BODY = "data: not an event stream\n\n";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setStatus(200);
      response.setContentType("text/plain;charset=UTF-8");
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  /** Serves the page from which Chromium opens its {@code EventSource}s. */
  static final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] page;
      try (InputStream in = PageServlet.class.getResourceAsStream("page.html")) {
        page = in.readAllBytes();
      }
      response.setContentType("text/html;charset=UTF-8");
      response.setHeader("Cache-Control", "no-store");
      response.setContentLength(page.length);
      response.getOutputStream().write(page);
    }
  }
}
