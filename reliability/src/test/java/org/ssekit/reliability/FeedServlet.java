package org.ssekit.reliability;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.function.Function;
import org.ssekit.Authorizer;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;

/**
 * Streams the selection named by the {@code topics} query parameter (comma-separated), behind an
 * authorizer, with a listener chosen per request. {@link #PRIVATE_FEEDS} is the authorizer of the
 * faults and soak tests: a signed-in user reads {@code users/<name>/**} and {@code rooms/*},
 * nothing else.
 *
 * <p><b>Thread safety:</b> thread-safe, as servlets must be.
 */
public final class FeedServlet extends SseServlet {
  private static final long serialVersionUID = 1L;

  /** Per-user private topics and shared rooms, for signed-in users only. */
  public static final Authorizer PRIVATE_FEEDS =
      PrincipalAuthorizer.builder()
          .allowAuthenticated(
              "users/" + PrincipalAuthorizer.PRINCIPAL_PLACEHOLDER + "/**", "rooms/*")
          .build();

  private final transient Authorizer authorizer;
  private final transient Function<HttpServletRequest, SseListener> listeners;

  /** Serves {@code hub}'s topics behind {@code authorizer}, with {@code listeners}' listener. */
  public FeedServlet(
      SseHub hub, Authorizer authorizer, Function<HttpServletRequest, SseListener> listeners) {
    super(hub);
    this.authorizer = authorizer;
    this.listeners = listeners;
  }

  /** Serves {@code hub}'s topics behind {@link #PRIVATE_FEEDS}, with no listener. */
  public FeedServlet(SseHub hub) {
    this(hub, PRIVATE_FEEDS, request -> SseListener.NONE);
  }

  @Override
  protected Admission admit(HttpServletRequest request) {
    String topics = request.getParameter("topics");
    if (topics == null || topics.isBlank()) {
      return Admission.refuse(400, "topics: required, comma-separated topic names");
    }
    return Admission.accept(
        Selection.of(Arrays.asList(topics.split(","))), listeners.apply(request));
  }

  @Override
  protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
    return builder.authorizer(authorizer);
  }
}
