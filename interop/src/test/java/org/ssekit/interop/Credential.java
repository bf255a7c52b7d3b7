package org.ssekit.interop;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The token one connection of an authorized scenario sends, as an application hands it to its
 * client: a client that reads it for every request ({@link Support#refreshes()}) sends the one
 * {@link #replace replaced} last, a client that takes it once sends the first one on every
 * reconnect.
 *
 * <p><b>Thread safety:</b> thread-safe; the client reads it on its own threads.
 */
final class Credential {
  /** How a request carried a token, as the server saw it. */
  enum Carrier {
    /** An {@code Authorization: Bearer} header. */
    BEARER_HEADER,
    /** The cookie {@code ssekit_token}. */
    COOKIE;

    /** Returns how {@code request} carried a token (the header first), or null if it did not. */
    static Carrier of(HttpServletRequest request) {
      String authorization = request.getHeader("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return BEARER_HEADER;
      }
      Cookie[] cookies = request.getCookies();
      if (cookies != null) {
        for (Cookie cookie : cookies) {
          if (cookie.getName().equals(InteropTokens.cookieName())) {
            return COOKIE;
          }
        }
      }
      return null;
    }
  }

  /**
   * How a client's public API lets an application send a token: the carrier, and whether the client
   * asks for it on every request (so a fresh token reaches the reconnect) or takes it once.
   */
  enum Support {
    /** A header given once, when the client is built, and sent unchanged with every request. */
    FIXED_HEADER(Carrier.BEARER_HEADER, false),
    /** A header that the application's hook adds to each request as the client sends it. */
    HEADER_PER_REQUEST(Carrier.BEARER_HEADER, true),
    /** A cookie of the page's origin, which the browser reads from its jar for every request. */
    COOKIE_PER_REQUEST(Carrier.COOKIE, true);

    private final Carrier carrier;
    private final boolean refreshes;

    Support(Carrier carrier, boolean refreshes) {
      this.carrier = carrier;
      this.refreshes = refreshes;
    }

    /** Returns how the client's requests carry the token. */
    Carrier carrier() {
      return carrier;
    }

    /** Returns true if a token replaced while the client runs reaches its next request. */
    boolean refreshes() {
      return refreshes;
    }
  }

  private volatile String token;
  private final List<Consumer<String>> pushes = new CopyOnWriteArrayList<>();

  /**
   * Creates the credential {@code token}.
   *
   * @throws NullPointerException if {@code token} is null
   */
  Credential(String token) {
    this.token = Objects.requireNonNull(token, "token");
  }

  /** Returns the token an application hands its client now. */
  String token() {
    return token;
  }

  /**
   * Has {@code push} hand every replaced token to a client that keeps it outside this JVM (the
   * browser's cookie jar, the Node.js runner); it runs on the caller of {@link #replace}, which
   * returns once it did.
   */
  void onReplace(Consumer<String> push) {
    pushes.add(push);
  }

  /**
   * Replaces the token, as an application that renewed its login does; only clients that {@link
   * Support#refreshes()} send it.
   */
  void replace(String token) {
    this.token = Objects.requireNonNull(token, "token");
    for (Consumer<String> push : pushes) {
      push.accept(token);
    }
  }
}
