package org.ssekit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A container login as applications install one (Spring Security and Jakarta Security work this
 * way): a filter that checks HTTP Basic credentials and wraps the request so that {@code
 * getUserPrincipal}, {@code getRemoteUser} and {@code isUserInRole} report the user. Requests
 * without valid credentials go on anonymous.
 */
public final class BasicLoginFilter implements Filter {
  /** The users: name to password. */
  private static final Map<String, String> PASSWORDS =
      Map.of("alice", "alice-pw", "bob", "bob-pw", "root", "root-pw");

  private static final Map<String, Set<String>> ROLES =
      Map.of("alice", Set.of("user"), "bob", Set.of("user"), "root", Set.of("admin"));

  /** Returns the {@code Authorization} header value that logs {@code user} in. */
  public static String basic(String user) {
    String credentials = user + ":" + PASSWORDS.get(user);
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String user = user(http.getHeader("Authorization"));
    chain.doFilter(user == null ? request : new LoggedIn(http, user), response);
  }

  private static String user(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = decoded.substring(0, colon);
    return decoded.substring(colon + 1).equals(PASSWORDS.get(name)) ? name : null;
  }

  private static final class LoggedIn extends HttpServletRequestWrapper {
    private final String user;

    LoggedIn(HttpServletRequest request, String user) {
      super(request);
      this.user = user;
    }

    @Override
    public Principal getUserPrincipal() {
      return () -> user;
    }

    @Override
    public String getRemoteUser() {
      return user;
    }

    @Override
    public boolean isUserInRole(String role) {
      return ROLES.getOrDefault(user, Set.of()).contains(role);
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.BASIC_AUTH;
    }
  }
}
