package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
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
  private static final String COOKIE = "Cookie";

  private JaxrsStreamRequests() {}

  /** Returns the authenticated principal of {@code request}'s security context, or null. */
  static Principal principal(ContainerRequestContext request) {
    SecurityContext security = request.getSecurityContext();
    return security == null ? null : security.getUserPrincipal();
  }

  /** Returns the view of {@code request} for an authorizer. */
  static StreamRequest streamRequest(ContainerRequestContext request, Selection selection) {
    SecurityContext security = request.getSecurityContext();
    return StreamRequest.builder(selection)
        .principal(principal(request))
        .roles(role -> security != null && security.isUserInRole(role))
        .headers(name -> request.getHeaders().get(name))
        // Parsed here, not from getCookies(): Jersey's map keeps the last of two cookies of one
        // name, while the servlet containers (and so the servlet path) give the first.
        .cookies(name -> firstCookie(request.getHeaders().get(COOKIE), name))
        .queryParameters(name -> request.getUriInfo().getQueryParameters().getFirst(name))
        .build();
  }

  /** Adds the CORS headers of a response to {@code request} (none for other origins). */
  static void corsHeaders(
      Cors cors, ContainerRequestContext request, MultivaluedMap<String, Object> headers) {
    CorsHeaders.forEachResponseHeader(
        cors, request.getHeaderString(CorsHeaders.ORIGIN), headers::putSingle);
  }

  /**
   * Returns the value of the first cookie named {@code name} in the {@code Cookie} header values
   * ({@code a=1; b=2}, RFC 6265), as sent (quotes kept), or null if there is none.
   */
  static String firstCookie(List<String> cookieHeaders, String name) {
    if (cookieHeaders == null) {
      return null;
    }
    for (String header : cookieHeaders) {
      int start = 0;
      while (start < header.length()) {
        int end = header.indexOf(';', start);
        if (end < 0) {
          end = header.length();
        }
        int equals = header.indexOf('=', start);
        if (equals > start && equals < end && header.substring(start, equals).trim().equals(name)) {
          return header.substring(equals + 1, end).trim();
        }
        start = end + 1;
      }
    }
    return null;
  }
}
