package org.ssekit.samples.boot;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.ssekit.samples.ChatInput;
import org.ssekit.samples.ChatRequestException;
import org.ssekit.samples.PlainText;

/**
 * The chat's CSRF defence in place of a token: a request that changes something ({@code POST},
 * {@code PUT}, {@code PATCH}, {@code DELETE}) whose {@code Origin} header names another origin than
 * this server's ({@code <scheme>://<Host header>}) is refused with {@code 403} and a plain-text
 * reason, before Spring Security's logout or any controller sees it. Browsers send {@code Origin}
 * with every cross-origin post (and every {@code fetch} post), and a page cannot forge it; a
 * request without it (curl, the tests' HTTP client) is no browser's cross-site request and passes.
 * The {@code SameSite=Lax} cookie already stays home on other sites' posts; this check also refuses
 * other origins of the same site (another port or subdomain), which {@code Lax} lets through.
 *
 * <p>Behind a proxy that rewrites {@code Host}, the origin compared is the proxy's view: configure
 * Boot's forwarded-header support ({@code server.forward-headers-strategy}) so that scheme and host
 * are the public ones.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class SameOriginWrites extends OncePerRequestFilter {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin == null || SAFE_METHODS.contains(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    String own = request.getScheme() + "://" + request.getHeader("Host");
    if (origin.equalsIgnoreCase(own)) {
      chain.doFilter(request, response);
      return;
    }
    PlainText.answer(
        request,
        response,
        new ChatRequestException(
            HttpServletResponse.SC_FORBIDDEN,
            "cross-origin "
                + request.getMethod()
                + " refused: Origin "
                + ChatInput.echo(origin)
                + " is not "
                + ChatInput.echo(own)));
  }
}
