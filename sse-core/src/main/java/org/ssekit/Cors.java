package org.ssekit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.ssekit.internal.FieldChecks;

/**
 * Which other origins may read a server's event streams (Cross-Origin Resource Sharing), configured
 * per {@code ServletStreams} or {@code SseHubFeature}. A request whose {@code Origin} is allowed
 * gets {@code Access-Control-Allow-Origin}; a request from any other origin gets no CORS header, so
 * the browser does not hand it the response.
 *
 * <ul>
 *   <li>With {@linkplain Builder#allowCredentials credentials} (cookies, an {@code EventSource}
 *       with {@code withCredentials: true}, an {@code Authorization} header), the request's exact
 *       origin is echoed with {@code Access-Control-Allow-Credentials: true} and {@code Vary:
 *       Origin}. {@code *} cannot be combined with credentials (browsers refuse it): {@link
 *       Builder#build} throws.
 *   <li>Without credentials, {@code *} answers {@code Access-Control-Allow-Origin: *}; listed
 *       origins are echoed with {@code Vary: Origin}.
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method},
 *       which fetch-based clients send before a {@code GET} with an {@code Authorization} header)
 *       from an allowed origin is answered {@code 204} with {@code Access-Control-Allow-Methods:
 *       GET}, the {@linkplain Builder#allowHeaders allowed headers} and {@code
 *       Access-Control-Max-Age}.
 * </ul>
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Cors {
  /** Any origin (without credentials only). */
  public static final String ANY_ORIGIN = "*";

  /** {@code scheme://host[:port]}, as browsers send it; no path, no trailing slash. */
  private static final Pattern ORIGIN =
      // No control char in the host: \s leaves NUL, DEL and most of them in, and an origin is a
      // response header's value.
      Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s?#@\\x00-\\x1f\\x7f]+(:[0-9]{1,5})?");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Set<String> allowedOrigins;
  private final boolean allowCredentials;
  private final List<String> allowedHeaders;
  private final Duration maxAge;

  private Cors(Builder builder) {
    this.allowedOrigins = Set.copyOf(builder.origins);
    this.allowCredentials = builder.allowCredentials;
    this.allowedHeaders = List.copyOf(builder.headers);
    this.maxAge = builder.maxAge;
  }

  /** Returns a builder with no origin, credentials allowed and the default headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the allowed origins, lower case; {@link #ANY_ORIGIN} for any. */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** Returns true if credentialed requests are allowed. */
  public boolean allowCredentials() {
    return allowCredentials;
  }

  /** Returns the request headers a preflight allows. */
  public List<String> allowedHeaders() {
    return allowedHeaders;
  }

  /** Returns how long a browser may cache a preflight's answer. */
  public Duration maxAge() {
    return maxAge;
  }

  /**
   * Returns true if a request with {@code origin} (its {@code Origin} header) gets CORS headers.
   *
   * @param origin the request's {@code Origin} header, or null if absent (then false)
   */
  public boolean isAllowed(String origin) {
    if (origin == null) {
      return false;
    }
    return allowedOrigins.contains(ANY_ORIGIN)
        || allowedOrigins.contains(origin.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "Cors{origins="
        + allowedOrigins
        + ", credentials="
        + allowCredentials
        + ", headers="
        + allowedHeaders
        + ", maxAge="
        + maxAge
        + "}";
  }

  /** Returns {@code value} with its control chars as {@code 0x0a}, for messages. */
  private static String escaped(String value) {
    StringBuilder text = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        text.append(FieldChecks.hex(c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  /**
   * Configures {@link Cors}. Defaults: no origin (which {@link #build} refuses), credentials
   * allowed, allowed headers {@code Authorization}, {@code Last-Event-ID} and {@code
   * Cache-Control}, preflights cached for 10 minutes.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final Set<String> origins = new LinkedHashSet<>();
    private boolean allowCredentials = true;
    private List<String> headers = List.of("Authorization", "Last-Event-ID", "Cache-Control");
    private Duration maxAge = Duration.ofMinutes(10);

    private Builder() {}

    /**
     * Allows {@code origin}: {@code scheme://host[:port]} exactly as browsers send it in {@code
     * Origin} (no path, no trailing slash), or {@link #ANY_ORIGIN}. Call once per origin.
     *
     * @throws NullPointerException if {@code origin} is null
     * @throws IllegalArgumentException if it is neither {@code *} nor an origin
     */
    public Builder allowOrigin(String origin) {
      Objects.requireNonNull(origin, "origin");
      String lower = origin.toLowerCase(Locale.ROOT);
      if (!lower.equals(ANY_ORIGIN) && !ORIGIN.matcher(lower).matches()) {
        throw new IllegalArgumentException(
            "origin must be * or scheme://host[:port] without a path: " + escaped(origin));
      }
      origins.add(lower);
      return this;
    }

    /** Sets whether credentialed requests are allowed (the default) or not. */
    public Builder allowCredentials(boolean allowCredentials) {
      this.allowCredentials = allowCredentials;
      return this;
    }

    /**
     * Sets the request headers a preflight allows.
     *
     * @throws NullPointerException if a header is null
     * @throws IllegalArgumentException if a header is not an HTTP token
     */
    public Builder allowHeaders(String... headers) {
      Objects.requireNonNull(headers, "headers");
      List<String> checked = new ArrayList<>();
      for (int i = 0; i < headers.length; i++) {
        String header = Objects.requireNonNull(headers[i], "header " + i);
        if (!TOKEN.matcher(header).matches()) {
          throw new IllegalArgumentException(
              "header " + i + " is not an HTTP token: " + escaped(header));
        }
        checked.add(header);
      }
      this.headers = checked;
      return this;
    }

    /**
     * Sets how long a browser may cache a preflight's answer, in whole seconds.
     *
     * @throws NullPointerException if {@code maxAge} is null
     * @throws IllegalArgumentException if negative
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge < 0: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Returns the configuration.
     *
     * @throws IllegalArgumentException if no origin is allowed, or {@code *} is allowed together
     *     with credentials
     */
    public Cors build() {
      if (origins.isEmpty()) {
        throw new IllegalArgumentException("allowedOrigins is empty: call allowOrigin");
      }
      if (allowCredentials && origins.contains(ANY_ORIGIN)) {
        throw new IllegalArgumentException(
            "allowedOrigins * with allowCredentials: browsers refuse it; list the exact origins,"
                + " or allowCredentials(false)");
      }
      return new Cors(this);
    }
  }
}
