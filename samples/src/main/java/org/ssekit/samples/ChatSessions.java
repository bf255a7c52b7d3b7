package org.ssekit.samples;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The chat's logins: a signed session cookie that carries the user's name and the session's expiry,
 * so that no session is stored on the server. The value is {@code <name>.<expiry in epoch
 * ms>.<HMAC-SHA256 of "<name>.<expiry>", base64url>}, signed with a key drawn at random when the
 * process starts: a restart (or another demo process behind the same address) logs everyone out. A
 * cookie that does not verify, is malformed or has expired is treated exactly as no cookie.
 *
 * <p><b>Logout</b> revokes every cookie of the name issued until then (the server remembers the
 * moment per name for one session lifetime), so that a copy of the cookie kept by the client is no
 * good either. There are no passwords: whoever logs in with a name is that user, which is all the
 * demo needs to show private streams; a real application authenticates first.
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

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final boolean secure;
  private final Clock clock;

  /** Per name, the epoch ms of its last logout: cookies issued before it are revoked. */
  private final Map<String, Long> loggedOutAt = new ConcurrentHashMap<>();

  /** A verified session: who, and until when. */
  record Session(String name, Instant expiry) {}

  /**
   * Creates the sessions of one process, with a new random key.
   *
   * @param lifetime how long a login lasts
   * @param secure whether cookies are marked {@code Secure} (served over TLS)
   */
  ChatSessions(Duration lifetime, boolean secure, Clock clock) {
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    this.secure = secure;
    this.clock = Objects.requireNonNull(clock, "clock");
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, ALGORITHM);
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

  /** Returns the {@code Set-Cookie} value that logs {@code name} (a valid name) in from now. */
  String login(String name) {
    // Issued after the name's last logout even within its millisecond, which revokes up to it.
    long issuedMillis = Math.max(clock.millis(), loggedOutAt.getOrDefault(name, -1L) + 1);
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
   * Ends {@code session}: every cookie of its name issued until now is revoked. The caller ends the
   * user's streams after this, so that their reconnects are refused.
   */
  void logout(Session session) {
    long now = clock.millis();
    // Past the last logout too: a login just after it was issued at its millisecond + 1.
    loggedOutAt.merge(session.name(), now, (last, at) -> Math.max(at, last + 1));
    // Past one lifetime every cookie issued before a logout has expired anyway.
    loggedOutAt.values().removeIf(at -> at + lifetime.toMillis() < now);
  }

  /** Returns the {@code Set-Cookie} value that deletes the session cookie. */
  String clearingCookie() {
    return COOKIE + "=; Max-Age=0" + attributes();
  }

  /**
   * Returns the session of the cookie {@code value}; empty if it is absent, malformed, not signed
   * by this process, expired or revoked by a logout.
   */
  Optional<Session> verify(String value) {
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
    long issuedMillis = expiryMillis - lifetime.toMillis();
    Long logout = loggedOutAt.get(parts.group(1));
    if (clock.millis() >= expiryMillis || (logout != null && issuedMillis <= logout)) {
      return Optional.empty();
    }
    return Optional.of(new Session(parts.group(1), Instant.ofEpochMilli(expiryMillis)));
  }

  /**
   * Returns the session of a servlet request: the first of its session cookies that verifies
   * ({@link #verify(String)}); empty if none does.
   */
  Optional<Session> verify(HttpServletRequest request) {
    return Optional.ofNullable(request.getCookies()).stream()
        .flatMap(java.util.Arrays::stream)
        .filter(cookie -> cookie.getName().equals(COOKIE))
        .map(Cookie::getValue)
        .map(this::verify)
        .flatMap(Optional::stream)
        .findFirst();
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
      mac.init(key);
      byte[] signature = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      // Every JDK has HmacSHA256 and takes any key length for it.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
