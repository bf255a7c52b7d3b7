package org.ssekit.auth.jwt.internal;

import java.util.Locale;
import org.ssekit.StreamRequest;

/**
 * Where a request's token is, in order of precedence: the {@code Authorization: Bearer} header
 * (what a fetch-based client sends on purpose), then the cookie (what a browser's {@code
 * EventSource} sends by itself), then, only if allowed, the query string. A token in the query
 * string while that is not allowed refuses the request even if another token is present: the token
 * has already leaked into access logs and the client must be told, not quietly served.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param cookieName the cookie that may carry the token
 * @param queryParameter the query parameter that carries the token, allowed or not
 * @param queryAllowed whether a token in the query string is accepted
 */
public record TokenLookup(String cookieName, String queryParameter, boolean queryAllowed) {
  private static final String BEARER = "bearer ";

  /**
   * A lookup's answer: the token found, or the reason there is none usable.
   *
   * @param token the token, or null if there is none usable
   * @param missing true if the request carries no token at all (no {@code error} in the challenge)
   * @param reason why there is no usable token, or null if found
   */
  public record Found(String token, boolean missing, String reason) {}

  /** Returns the request's token, or why it has none. */
  public Found find(StreamRequest request) {
    String inQuery = request.queryParameter(queryParameter);
    if (inQuery != null && !queryAllowed) {
      return new Found(
          null,
          false,
          "a token in the query string is refused: send it in an Authorization: Bearer header or"
              + " the cookie "
              + cookieName);
    }
    boolean bearerHeader = false;
    for (String value : request.headers("Authorization")) {
      if (value.length() >= BEARER.length()
          && value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
        bearerHeader = true;
        String token = value.substring(BEARER.length()).strip();
        if (!token.isEmpty()) {
          return new Found(token, false, null);
        }
      }
    }
    if (bearerHeader) {
      return new Found(null, false, "the Authorization: Bearer header has no token");
    }
    String cookie = request.cookie(cookieName);
    if (cookie != null && !cookie.isEmpty()) {
      return new Found(cookie, false, null);
    }
    if (inQuery != null && !inQuery.isEmpty()) {
      return new Found(inQuery, false, null);
    }
    return new Found(null, true, missingReason());
  }

  private String missingReason() {
    return "no token: send it in an Authorization: Bearer header or the cookie "
        + cookieName
        + (queryAllowed ? " or the query parameter " + queryParameter : "");
  }
}
