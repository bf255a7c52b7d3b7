package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Map;
import org.ssekit.Cors;
import org.ssekit.Selection;
import org.ssekit.StreamRequest;
import org.ssekit.internal.CorsHeaders;

/**
 * What the JAX-RS adapter reads from a request for the shared rules of sse-core: the {@link
 * StreamRequest} an authorizer decides on, from the {@link SecurityContext}, and the CORS headers.
 *
 * <p><b>Thread safety:</b> stateless; call on the thread that handles the request.
 */
final class JaxrsStreamRequests {
  private JaxrsStreamRequests() {}

  /** Returns the authenticated principal of {@code request}'s security context, or null. */
  static Principal principal(ContainerRequestContext request) {
    SecurityContext security = request.getSecurityContext();
    return security == null ? null : security.getUserPrincipal();
  }

  /** Returns the view of {@code request} for an authorizer. */
  static StreamRequest streamRequest(ContainerRequestContext request, Selection selection) {
    SecurityContext security = request.getSecurityContext();
    Map<String, Cookie> cookies = request.getCookies();
    return StreamRequest.builder(selection)
        .principal(principal(request))
        .roles(role -> security != null && security.isUserInRole(role))
        .headers(name -> request.getHeaders().get(name))
        .cookies(
            name -> {
              Cookie cookie = cookies == null ? null : cookies.get(name);
              return cookie == null ? null : cookie.getValue();
            })
        .queryParameters(name -> request.getUriInfo().getQueryParameters().getFirst(name))
        .build();
  }

  /** Adds the CORS headers of a response to {@code request} (none for other origins). */
  static void corsHeaders(
      Cors cors, ContainerRequestContext request, MultivaluedMap<String, Object> headers) {
    CorsHeaders.forEachResponseHeader(
        cors, request.getHeaderString(CorsHeaders.ORIGIN), headers::putSingle);
  }
}
