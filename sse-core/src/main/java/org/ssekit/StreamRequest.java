package org.ssekit;

import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What an {@link Authorizer} knows about one stream request, whatever the transport: the
 * authenticated principal and its roles (the container's, or the JAX-RS {@code SecurityContext}'s),
 * the request's headers, cookies and query parameters, and the {@link Selection} it asks for. The
 * adapters fill it from their request; build one yourself to test an authorizer.
 *
 * <p><b>Thread safety:</b> immutable; its lookups read the adapter's request, so use it during
 * {@link Authorizer#authorize} only.
 */
public final class StreamRequest {
  private final Selection selection;
  private final Principal principal;
  private final Predicate<String> roles;
  private final Function<String, List<String>> headers;
  private final Function<String, String> cookies;
  private final Function<String, String> queryParameters;

  private StreamRequest(Builder builder) {
    this.selection = builder.selection;
    this.principal = builder.principal;
    this.roles = builder.roles;
    this.headers = builder.headers;
    this.cookies = builder.cookies;
    this.queryParameters = builder.queryParameters;
  }

  /**
   * Returns a builder of a request for {@code selection}, with no principal, no role, no header and
   * no cookie.
   *
   * @throws NullPointerException if {@code selection} is null
   */
  public static Builder builder(Selection selection) {
    return new Builder(Objects.requireNonNull(selection, "selection"));
  }

  /** Returns the selection the client asks for: the whole of what the decision is about. */
  public Selection selection() {
    return selection;
  }

  /** Returns the authenticated principal, or empty if the request is not authenticated. */
  public Optional<Principal> principal() {
    return Optional.ofNullable(principal);
  }

  /** Returns the name of the authenticated principal, or null if not authenticated. */
  public String principalName() {
    return principal == null ? null : principal.getName();
  }

  /**
   * Returns true if the authenticated principal holds {@code role}; false if not authenticated.
   *
   * @throws NullPointerException if {@code role} is null
   */
  public boolean isUserInRole(String role) {
    Objects.requireNonNull(role, "role");
    return principal != null && roles.test(role);
  }

  /**
   * Returns the first value of the header {@code name} (case-insensitive), or null if absent.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * Returns every value of the header {@code name} (case-insensitive), in order; empty if absent.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public List<String> headers(String name) {
    Objects.requireNonNull(name, "name");
    List<String> values = headers.apply(name);
    return values == null ? List.of() : values;
  }

  /**
   * Returns the value of the cookie {@code name}, or null if the request has none.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public String cookie(String name) {
    Objects.requireNonNull(name, "name");
    return cookies.apply(name);
  }

  /**
   * Returns the first value of the query-string parameter {@code name}, or null if the request has
   * none (or the adapter does not give query parameters to authorizers).
   *
   * @throws NullPointerException if {@code name} is null
   */
  public String queryParameter(String name) {
    Objects.requireNonNull(name, "name");
    return queryParameters.apply(name);
  }

  @Override
  public String toString() {
    return "StreamRequest{"
        + (principal == null ? "anonymous" : "authenticated")
        + ", "
        + selection.size()
        + " entries}";
  }

  /**
   * Builds a {@link StreamRequest}.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final Selection selection;
    private Principal principal;
    private Predicate<String> roles = role -> false;
    private Function<String, List<String>> headers = name -> List.of();
    private Function<String, String> cookies = name -> null;
    private Function<String, String> queryParameters = name -> null;

    private Builder(Selection selection) {
      this.selection = selection;
    }

    /** Sets the authenticated principal; null (the default) for an anonymous request. */
    public Builder principal(Principal principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Sets the role check of the principal, such as {@code request::isUserInRole}.
     *
     * @throws NullPointerException if {@code roles} is null
     */
    public Builder roles(Predicate<String> roles) {
      this.roles = Objects.requireNonNull(roles, "roles");
      return this;
    }

    /**
     * Sets the header lookup: every value of a header by its case-insensitive name, empty (or null)
     * if absent.
     *
     * @throws NullPointerException if {@code headers} is null
     */
    public Builder headers(Function<String, List<String>> headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /**
     * Sets the cookie lookup: the value of a cookie by name, or null if absent.
     *
     * @throws NullPointerException if {@code cookies} is null
     */
    public Builder cookies(Function<String, String> cookies) {
      this.cookies = Objects.requireNonNull(cookies, "cookies");
      return this;
    }

    /**
     * Sets the query-string lookup: the first value of a parameter by name, or null if absent.
     *
     * @throws NullPointerException if {@code queryParameters} is null
     */
    public Builder queryParameters(Function<String, String> queryParameters) {
      this.queryParameters = Objects.requireNonNull(queryParameters, "queryParameters");
      return this;
    }

    /** Returns the request. */
    public StreamRequest build() {
      return new StreamRequest(this);
    }
  }
}
