package org.ssekit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ssekit.internal.FieldChecks;

/**
 * An {@link Authorizer}'s decision about one stream request: allowed (until an instant, or for as
 * long as the stream lasts), unauthenticated ({@code 401} with a {@code WWW-Authenticate}
 * challenge), forbidden ({@code 403}), or not decidable now ({@link #unavailable}: a passing
 * refusal, after which the client comes back). A refusal carries a short plain-text reason for the
 * client; do not put secrets in it.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Authorization {
  /**
   * The challenge of {@link #unauthenticated(String)}: a bearer token, the scheme of the
   * fetch-based clients that send {@code Authorization} headers.
   */
  public static final String DEFAULT_CHALLENGE = "Bearer realm=\"ssekit\"";

  private static final Authorization ALLOWED =
      new Authorization(Outcome.ALLOWED, null, null, null, null);

  /** What was decided. */
  public enum Outcome {
    /** The stream opens. */
    ALLOWED,
    /** The client is not known: {@code 401} with a {@code WWW-Authenticate} challenge. */
    UNAUTHENTICATED,
    /** The client is known but may not read the selection: {@code 403}. */
    FORBIDDEN,
    /**
     * The authorizer cannot decide now, because something it needs is unreachable: a passing
     * refusal, answered as the endpoint's {@link RefusalAnswer} says ({@code 200} with a jittered
     * {@code retry:} by default), so that the client reconnects and is authorized again.
     */
    UNAVAILABLE
  }

  private final Outcome outcome;
  private final Instant expiry;
  private final String challenge;
  private final String reason;
  private final String principal;

  private Authorization(
      Outcome outcome, Instant expiry, String challenge, String reason, String principal) {
    this.outcome = outcome;
    this.expiry = expiry;
    this.challenge = challenge;
    this.reason = reason;
    this.principal = principal;
  }

  /** Allows the stream for as long as it lasts. */
  public static Authorization allow() {
    return ALLOWED;
  }

  /**
   * Allows the stream until {@code expiry}: it then ends with a jittered {@code retry:} ({@link
   * Subscription#expireAt}), and the client's reconnect is authorized again. An expiry that has
   * passed when the adapter reads it answers {@code 401} ({@link #DEFAULT_CHALLENGE}, reason {@code
   * authorization expired}).
   *
   * @throws NullPointerException if {@code expiry} is null
   */
  public static Authorization allowUntil(Instant expiry) {
    return new Authorization(
        Outcome.ALLOWED, Objects.requireNonNull(expiry, "expiry"), null, null, null);
  }

  /**
   * Refuses a client that is not known with {@code 401}, challenged with {@link
   * #DEFAULT_CHALLENGE}.
   *
   * @throws NullPointerException if {@code reason} is null
   */
  public static Authorization unauthenticated(String reason) {
    return unauthenticated(DEFAULT_CHALLENGE, reason);
  }

  /**
   * Refuses a client that is not known with {@code 401}; {@code challenge} is the value of the
   * {@code WWW-Authenticate} header, such as {@code Basic realm="news"}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code challenge} is empty, or either holds CR, LF or NUL
   */
  public static Authorization unauthenticated(String challenge, String reason) {
    return new Authorization(
        Outcome.UNAUTHENTICATED, null, requireChallenge(challenge), requireReason(reason), null);
  }

  /**
   * Refuses a known client with {@code 403}.
   *
   * @throws NullPointerException if {@code reason} is null
   * @throws IllegalArgumentException if {@code reason} holds CR, LF or NUL
   */
  public static Authorization forbidden(String reason) {
    return new Authorization(Outcome.FORBIDDEN, null, null, requireReason(reason), null);
  }

  /**
   * Refuses the request for now, because the authorizer cannot decide it: the store of sessions,
   * tokens or revocations it reads is unreachable. Unlike a {@code 401} or {@code 403}, which a
   * browser's {@code EventSource} takes as the end of the stream for good, this is answered as the
   * hub's own passing refusals are (the endpoint's {@link RefusalAnswer}): by default {@code 200}
   * with the stream's headers and one jittered {@code retry:}, after which every client reconnects
   * with its {@code Last-Event-ID}, is authorized again and resumes where it was; or {@code 503}
   * with {@code Retry-After} and {@code reason} as plain text. An authorizer that throws is
   * answered {@code 403} instead: return this for the failures that pass.
   *
   * @throws NullPointerException if {@code reason} is null
   * @throws IllegalArgumentException if {@code reason} holds CR, LF or NUL
   */
  public static Authorization unavailable(String reason) {
    return new Authorization(Outcome.UNAVAILABLE, null, null, requireReason(reason), null);
  }

  /**
   * Returns this allowance naming the principal its stream belongs to, so that {@link
   * SseHub#closeStreamsOf} with that name ends it: for an authorizer that identifies the client
   * itself (a token's subject, a session cookie). Without it, the adapters attribute the stream to
   * the request's authenticated principal, if there is one.
   *
   * @throws NullPointerException if {@code principal} is null
   * @throws IllegalArgumentException if {@code principal} is empty
   * @throws IllegalStateException if this is a refusal
   */
  public Authorization forPrincipal(String principal) {
    Objects.requireNonNull(principal, "principal");
    if (principal.isEmpty()) {
      throw new IllegalArgumentException("principal is empty");
    }
    if (!isAllowed()) {
      throw new IllegalStateException(this + " is a refusal: only an allowance names a principal");
    }
    return new Authorization(outcome, expiry, null, null, principal);
  }

  /** Returns what was decided. */
  public Outcome outcome() {
    return outcome;
  }

  /** Returns true if the stream may open. */
  public boolean isAllowed() {
    return outcome == Outcome.ALLOWED;
  }

  /** Returns when an allowed stream ends, or empty if it lasts (and for a refusal). */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiry);
  }

  /** Returns the principal an allowance {@linkplain #forPrincipal names}, or empty. */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** Returns the {@code WWW-Authenticate} value of an unauthenticated refusal, or null. */
  public String challenge() {
    return challenge;
  }

  /** Returns the plain-text reason of a refusal, or null if allowed. */
  public String reason() {
    return reason;
  }

  /**
   * Returns the HTTP status: 200 if allowed, 401 if unauthenticated, 403 if forbidden, 503 if
   * unavailable (which the adapters answer with {@code 200} and a {@code retry:} under {@link
   * RefusalAnswer#RETRY_STREAM}, the default).
   */
  public int status() {
    switch (outcome) {
      case UNAUTHENTICATED:
        return 401;
      case FORBIDDEN:
        return 403;
      case UNAVAILABLE:
        return 503;
      default:
        return 200;
    }
  }

  @Override
  public String toString() {
    return "Authorization{"
        + outcome
        + (expiry != null ? " until " + expiry : "")
        + (principal != null ? " for a named principal" : "")
        + (reason != null ? ": " + reason : "")
        + "}";
  }

  private static String requireChallenge(String challenge) {
    Objects.requireNonNull(challenge, "challenge");
    if (challenge.isEmpty()) {
      throw new IllegalArgumentException(
          "challenge is empty: name a scheme, as in Basic realm=\"x\"");
    }
    FieldChecks.requireSingleLine("challenge", challenge, true);
    return challenge;
  }

  private static String requireReason(String reason) {
    Objects.requireNonNull(reason, "reason");
    FieldChecks.requireSingleLine("reason", reason, true);
    return reason;
  }
}
