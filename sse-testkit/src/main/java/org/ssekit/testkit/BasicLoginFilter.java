package org.ssekit.testkit;

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
import java.util.regex.Pattern;

/**
 * A container login as applications install one (Spring Security and Jakarta Security work this
 * way): a filter that checks HTTP Basic credentials and wraps the request so that {@code
 * getUserPrincipal}, {@code getRemoteUser} and {@code isUserInRole} report the user (JAX-RS on a
 * servlet container reads its {@code SecurityContext} from them). Requests without valid
 * credentials go on anonymous.
 *
 * <p>Every name of {@code [A-Za-z0-9_-]{1,32}} is a user whose password is the name followed by
 * {@code -pw}; {@code root} has the role {@code admin}, every other user the role {@code user}.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class BasicLoginFilter implements Filter {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  /** Returns the {@code Authorization} header value that logs {@code user} in. */
  public static String basic(String user) {
    String credentials = user + ":" + password(user);
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
    return NAME.matcher(name).matches() && decoded.substring(colon + 1).equals(password(name))
        ? name
        : null;
  }

  private static String password(String user) {
    return user + "-pw";
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
      return role.equals(user.equals("root") ? "admin" : "user");
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.BASIC_AUTH;
    }
  }
}
