package org.ssekit.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.ssekit.Cors;

/**
 * The chat's CORS: the library's {@link Cors} for the streams (given to {@code ServletStreams} and
 * {@code SseHubFeature}, which answer the streams' headers and {@code GET} preflights), and the
 * same headers for the chat's posts ({@code /login}, {@code /logout}, messages, DMs), which are not
 * streams and so not the library's to answer. Credentials are always allowed (the session is a
 * cookie), so an allowed origin is echoed exactly with {@code Access-Control-Allow-Credentials:
 * true} and {@code Vary: Origin}; any other origin gets no CORS header.
 *
 * <p>A post with a {@code text/plain} body needs no preflight; one that adds a header does, and is
 * answered {@code 204} with {@code Access-Control-Allow-Methods: POST}, the stream's allowed
 * headers plus {@code Content-Type}, and the same {@code Access-Control-Max-Age}.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class ChatCors {
  private static final String ORIGIN = "Origin";
  private static final String REQUEST_METHOD = "Access-Control-Request-Method";

  private final Cors cors; // null: no other origin allowed

  private ChatCors(Cors cors) {
    this.cors = cors;
  }

  /** Returns the CORS of {@code allowedOrigins}: none if empty. */
  static ChatCors of(List<String> allowedOrigins) {
    if (allowedOrigins.isEmpty()) {
      return new ChatCors(null);
    }
    Cors.Builder builder = Cors.builder().allowCredentials(true);
    allowedOrigins.forEach(builder::allowOrigin);
    return new ChatCors(builder.build());
  }

  /** Returns the library's configuration for the streams, or empty if no origin is allowed. */
  Optional<Cors> streams() {
    return Optional.ofNullable(cors);
  }

  /** Hands {@code header} the CORS headers of an answer to a request from {@code origin}. */
  void forEachHeader(String origin, BiConsumer<String, String> header) {
    if (cors == null || !cors.isAllowed(origin)) {
      return;
    }
    header.accept("Access-Control-Allow-Origin", origin);
    header.accept("Access-Control-Allow-Credentials", "true");
    header.accept("Vary", ORIGIN);
    // A page on another origin reads a post's answer headers only if they are listed.
    header.accept("Access-Control-Expose-Headers", ChatMessagesServlet.MULTI_ROOM_ID_HEADER);
  }

  /** Returns true if the request is a preflight of a post from an allowed origin. */
  boolean isPostPreflight(String method, String origin, String requestMethod) {
    return cors != null
        && "OPTIONS".equals(method)
        && "POST".equals(requestMethod)
        && cors.isAllowed(origin);
  }

  /** Hands {@code header} the headers of the {@code 204} to a post's preflight. */
  void forEachPreflightHeader(String origin, BiConsumer<String, String> header) {
    forEachHeader(origin, header);
    header.accept("Access-Control-Allow-Methods", "POST");
    header.accept(
        "Access-Control-Allow-Headers",
        String.join(", ", cors.allowedHeaders()) + ", Content-Type");
    header.accept("Access-Control-Max-Age", Long.toString(cors.maxAge().toSeconds()));
  }

  /** Sets the CORS headers of a servlet's answer to {@code request}. */
  void headers(HttpServletRequest request, HttpServletResponse response) {
    forEachHeader(request.getHeader(ORIGIN), response::setHeader);
  }

  /**
   * Answers a post's preflight from an allowed origin with {@code 204}.
   *
   * @return true if answered; false, with the response untouched, for any other request
   */
  boolean answerPreflight(HttpServletRequest request, HttpServletResponse response) {
    String origin = request.getHeader(ORIGIN);
    if (!isPostPreflight(request.getMethod(), origin, request.getHeader(REQUEST_METHOD))) {
      return false;
    }
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    forEachPreflightHeader(origin, response::setHeader);
    return true;
  }
}
