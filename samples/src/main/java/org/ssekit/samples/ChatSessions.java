package org.ssekit.samples;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;

/**
 * The chat's logins: a signed session cookie that carries the user's name and the session's expiry,
 * so that no session is stored on the server. The value is {@code <name>.<expiry in epoch
 * ms>.<HMAC-SHA256 of "<name>.<expiry>", base64url>}, signed with the {@link SessionKey}: one drawn
 * at random when the process starts (a restart, or another demo process behind the same address,
 * logs everyone out), or one read from a file that every node shares, so that each verifies the
 * cookies of all. A cookie that does not verify, is malformed or has expired is treated exactly as
 * no cookie.
 *
 * <p><b>Logout</b> revokes every cookie of the name issued until then ({@link Logouts}: in this
 * process, or in the Redis the nodes share), so that a copy of the cookie kept by the client, or
 * used on another node, is no good either. There are no passwords: whoever logs in with a name is
 * that user, which is all the demo needs to show private streams; a real application authenticates
 * first.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ChatSessions {
  /** The session cookie's name. */
  static final String COOKIE = "chat_session";

  /**
   * The {@code WWW-Authenticate} challenge of a {@code 401}: the scheme names how to authenticate
   * (a session cookie from {@code POST /login}), which no standard scheme does.
   */
  public static final String CHALLENGE = "Session realm=\"chat\", login=\"/login\"";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9_-]{1,32})\\.([0-9]{1,19})\\.([A-Za-z0-9_-]{43})");
  private static final String ALGORITHM = "HmacSHA256";

  private final SessionKey key;
  private final Logouts logouts;
  private final Duration lifetime;
  private final boolean secure;
  private final Clock clock;

  /** A verified session: who, and until when. */
  record Session(String name, Instant expiry) {}

  /**
   * Creates the sessions of one process alone: a new random key, logouts kept in memory.
   *
   * @param lifetime how long a login lasts
   * @param secure whether cookies are marked {@code Secure} (served over TLS)
   */
  ChatSessions(Duration lifetime, boolean secure, Clock clock) {
    this(SessionKey.random(), new LocalLogouts(clock, lifetime), lifetime, secure, clock);
  }

  /**
   * Creates sessions signed with {@code key} whose logouts are kept by {@code logouts}.
   *
   * @param lifetime how long a login lasts; the same on every node that shares the key
   * @param secure whether cookies are marked {@code Secure} (served over TLS)
   * @param clock what a cookie's expiry is compared with
   */
  ChatSessions(SessionKey key, Logouts logouts, Duration lifetime, boolean secure, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.logouts = Objects.requireNonNull(logouts, "logouts");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    this.secure = secure;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns {@code name} if it is a valid user name: 1-32 characters of {@code [A-Za-z0-9_-]}.
   *
   * @param what the name of the field, for the reason
   * @throws ChatRequestException with 400 if it is absent or invalid
   */
  public static String name(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new ChatRequestException(400, "missing " + what);
    }
    if (!NAME.matcher(name).matches()) {
      throw new ChatRequestException(
          400, what + " must be 1-32 chars of [A-Za-z0-9_-]: " + ChatInput.echo(name));
    }
    return name;
  }

  /**
   * Returns the {@code Set-Cookie} value that logs {@code name} (a valid name) in from now: after
   * the name's last logout, even within its millisecond, which revokes up to it.
   *
   * @throws ChatRequestException with 503 if the logouts cannot be read now
   */
  String login(String name) {
    long issuedMillis = logouts.issueMillis(name);
    long expiryMillis = issuedMillis + lifetime.toMillis();
    String payload = name + "." + expiryMillis;
    return COOKIE
        + "="
        + payload
        + "."
        + sign(payload)
        + "; Max-Age="
        + lifetime.toSeconds()
        + attributes();
  }

  /**
   * Ends {@code session} (an {@linkplain #authentic authentic} one): every cookie of its name
   * issued until now is revoked, unless a later logout revoked this one already (then a newer login
   * of the name stays valid). The caller ends the user's streams after this, so that their
   * reconnects are refused.
   *
   * @throws ChatRequestException with 503 if the logout could not be recorded; nothing is then
   */
  void logout(Session session) {
    if (!isRevoked(session)) {
      logouts.logOut(session.name());
    }
  }

  /** Returns the {@code Set-Cookie} value that deletes the session cookie. */
  String clearingCookie() {
    return COOKIE + "=; Max-Age=0" + attributes();
  }

  /**
   * Returns the session of the cookie {@code value}; empty if it is absent, malformed, not signed
   * with this key, expired or revoked by a logout.
   *
   * @throws ChatRequestException with 503 if the logouts cannot be read now
   */
  Optional<Session> verify(String value) {
    return authentic(value).filter(session -> !isRevoked(session));
  }

  /**
   * Returns the session of the cookie {@code value} if it is signed with this key and has not
   * expired, whether a logout revoked it or not: enough to know whose it is, not to let it in.
   */
  Optional<Session> authentic(String value) {
    if (value == null) {
      return Optional.empty();
    }
    var parts = VALUE.matcher(value);
    if (!parts.matches()) {
      return Optional.empty();
    }
    String payload = parts.group(1) + "." + parts.group(2);
    byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
    // Compared in constant time: the time taken tells nothing about how much of it was right.
    if (!MessageDigest.isEqual(expected, parts.group(3).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    long expiryMillis;
    try {
      expiryMillis = Long.parseLong(parts.group(2));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
    if (clock.millis() >= expiryMillis) {
      return Optional.empty();
    }
    return Optional.of(new Session(parts.group(1), Instant.ofEpochMilli(expiryMillis)));
  }

  /**
   * Returns the session of a servlet request: the first of its session cookies that verifies
   * ({@link #verify(String)}); empty if none does.
   *
   * @throws ChatRequestException with 503 if the logouts cannot be read now
   */
  Optional<Session> verify(HttpServletRequest request) {
    return cookies(request).map(this::verify).flatMap(Optional::stream).findFirst();
  }

  /**
   * Returns the first {@linkplain #authentic authentic} session of a servlet request's session
   * cookies; empty if none is.
   */
  Optional<Session> authentic(HttpServletRequest request) {
    return cookies(request).map(this::authentic).flatMap(Optional::stream).findFirst();
  }

  private static Stream<String> cookies(HttpServletRequest request) {
    return Optional.ofNullable(request.getCookies()).stream()
        .flatMap(Arrays::stream)
        .filter(cookie -> cookie.getName().equals(COOKIE))
        .map(Cookie::getValue);
  }

  /** Returns true if a logout of the session's name came at or after its login. */
  private boolean isRevoked(Session session) {
    long issuedMillis = session.expiry().toEpochMilli() - lifetime.toMillis();
    return issuedMillis <= logouts.lastLogoutMillis(session.name());
  }

  /** Returns how long a login lasts. */
  Duration lifetime() {
    return lifetime;
  }

  private String attributes() {
    return "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }

  private String sign(String payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per signature
      mac.init(key.spec());
      byte[] signature = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      // Every JDK has HmacSHA256 and takes any key length for it.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
