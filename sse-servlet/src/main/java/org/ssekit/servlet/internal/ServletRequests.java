package org.ssekit.servlet.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.ssekit.Cors;
import org.ssekit.Selection;
import org.ssekit.StreamRequest;
import org.ssekit.internal.CorsHeaders;

/**
 * What the servlet adapter reads from a request for the shared rules of sse-core: the {@link
 * StreamRequest} an authorizer decides on, and the CORS headers and preflight answer.
 *
 * <p><b>Thread safety:</b> stateless; call from the thread that owns the request.
 */
public final class ServletRequests {
  private ServletRequests() {}

  /** Returns the view of {@code request} for an authorizer: the container's identity. */
  static StreamRequest streamRequest(HttpServletRequest request, Selection selection) {
    return StreamRequest.builder(selection)
        .principal(request.getUserPrincipal())
        .roles(request::isUserInRole)
        .headers(
            name -> {
              Enumeration<String> values = request.getHeaders(name);
              return values == null ? List.of() : Collections.list(values);
            })
        .cookies(name -> cookie(request, name))
        // A stream is a GET: getParameter reads the query string only, never a body.
        .queryParameters(request::getParameter)
        .build();
  }

  /** Sets the CORS headers of a response to {@code request} (none for other origins). */
  public static void corsHeaders(
      Cors cors, HttpServletRequest request, HttpServletResponse response) {
    CorsHeaders.forEachResponseHeader(
        cors, request.getHeader(CorsHeaders.ORIGIN), response::setHeader);
  }

  /**
   * Answers a CORS preflight that {@code cors} answers with {@code 204} and its headers; returns
   * false, leaving the response untouched, for any other request.
   */
  public static boolean answerPreflight(
      Cors cors, HttpServletRequest request, HttpServletResponse response) {
    String origin = request.getHeader(CorsHeaders.ORIGIN);
    if (!CorsHeaders.isAnsweredPreflight(
        cors, request.getMethod(), origin, request.getHeader(CorsHeaders.REQUEST_METHOD))) {
      return false;
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    CorsHeaders.forEachPreflightHeader(cors, origin, response::setHeader);
    return true;
  }

  private static String cookie(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie cookie : cookies) {
      if (cookie.getName().equals(name)) {
        return cookie.getValue();
      }
    }
    return null;
  }
}
