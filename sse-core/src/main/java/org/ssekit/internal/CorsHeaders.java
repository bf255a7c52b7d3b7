package org.ssekit.internal;

import java.util.List;
import java.util.function.BiConsumer;
import org.ssekit.Cors;

/**
 * The CORS headers of a stream's response and of a preflight, in one place for both adapters (see
 * {@link Cors} for the rules).
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class CorsHeaders {
  /** The request header that names the page's origin. */
  public static final String ORIGIN = "Origin";

  /** The request header of a preflight that names the method to come. */
  public static final String REQUEST_METHOD = "Access-Control-Request-Method";

  /** The response headers this class may set, so that an adapter can keep them across a reset. */
  public static final List<String> RESPONSE_HEADERS =
      List.of(
          "Access-Control-Allow-Origin",
          "Access-Control-Allow-Credentials",
          "Vary",
          "Access-Control-Allow-Methods",
          "Access-Control-Allow-Headers",
          "Access-Control-Max-Age");

  private CorsHeaders() {}

  /**
   * Hands {@code header} the CORS headers of a response to a request with {@code origin}: none if
   * {@code cors} is null or the origin is not allowed.
   *
   * @param origin the request's {@code Origin} header, or null
   */
  public static void forEachResponseHeader(
      Cors cors, String origin, BiConsumer<String, String> header) {
    if (cors == null || !cors.isAllowed(origin)) {
      return;
    }
    if (!cors.allowCredentials() && cors.allowedOrigins().contains(Cors.ANY_ORIGIN)) {
      header.accept("Access-Control-Allow-Origin", Cors.ANY_ORIGIN);
      return;
    }
    header.accept("Access-Control-Allow-Origin", origin);
    if (cors.allowCredentials()) {
      header.accept("Access-Control-Allow-Credentials", "true");
    }
    header.accept("Vary", ORIGIN);
  }

  /**
   * Returns true if a request is a CORS preflight that {@code cors} answers: {@code OPTIONS} from
   * an allowed origin, with an {@code Access-Control-Request-Method}.
   */
  public static boolean isAnsweredPreflight(
      Cors cors, String method, String origin, String requestMethod) {
    return cors != null
        && "OPTIONS".equals(method)
        && requestMethod != null
        && cors.isAllowed(origin);
  }

  /**
   * Hands {@code header} the headers of the {@code 204} that answers a preflight for which {@link
   * #isAnsweredPreflight} is true.
   */
  public static void forEachPreflightHeader(
      Cors cors, String origin, BiConsumer<String, String> header) {
    forEachResponseHeader(cors, origin, header);
    header.accept("Access-Control-Allow-Methods", "GET");
    header.accept("Access-Control-Allow-Headers", String.join(", ", cors.allowedHeaders()));
    header.accept("Access-Control-Max-Age", Long.toString(cors.maxAge().toSeconds()));
  }
}
