package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import org.ssekit.Cors;
import org.ssekit.internal.CorsHeaders;

/**
 * Answers the CORS preflights ({@code OPTIONS} with {@code Origin} and {@code
 * Access-Control-Request-Method}) of allowed origins with {@code 204} and the headers of {@link
 * Cors}, before Jersey matches a resource (which would answer {@code OPTIONS} itself, without
 * them). Other requests pass. Registered with priority {@link StreamFilter#PRIORITY}.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
@PreMatching
final class CorsPreflight implements ContainerRequestFilter {
  private final Cors cors;

  CorsPreflight(Cors cors) {
    this.cors = cors;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String origin = request.getHeaderString(CorsHeaders.ORIGIN);
    if (!CorsHeaders.isAnsweredPreflight(
        cors, request.getMethod(), origin, request.getHeaderString(CorsHeaders.REQUEST_METHOD))) {
      return;
    }
    Response.ResponseBuilder answer = Response.noContent();
    CorsHeaders.forEachPreflightHeader(cors, origin, answer::header);
    request.abortWith(answer.build());
  }
}
