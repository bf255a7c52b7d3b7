package org.ssekit.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Tokens on the real clock for the end-to-end tests, signed with {@link Tokens#SECRET} for the
 * audience {@value #AUDIENCE}, and the authorizer that reads them.
 */
final class LiveTokens {
  static final String AUDIENCE = "chat";

  /** The end-to-end tests' limit, under the containers' 8 KiB header limit, so it is reached. */
  static final int MAX_TOKEN_CHARS = 2048;

  private LiveTokens() {}

  /**
   * The authorizer of the end-to-end tests: HMAC, audience {@value #AUDIENCE}, no clock skew (so
   * that a stream ends at its token's {@code exp}), tokens up to {@value #MAX_TOKEN_CHARS} chars.
   */
  static JwtAuthorizer authorizer() {
    return JwtAuthorizer.builder()
        .hmacSecret(Tokens.SECRET)
        .audience(AUDIENCE)
        .clockSkew(Duration.ZERO)
        .maxTokenChars(MAX_TOKEN_CHARS)
        .build();
  }

  /**
   * Claims of {@code subject} for {@value #AUDIENCE}, valid for an hour, reading {@code topics}.
   */
  static JWTClaimsSet.Builder claims(String subject, String... topics) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("topics", List.of(topics));
  }

  /** A valid token of {@code subject} reading {@code topics} for an hour. */
  static String valid(String subject, String... topics) {
    return Tokens.hs256(claims(subject, topics));
  }

  /** A token of {@code subject} reading {@code topics} until {@code exp} (whole seconds). */
  static String until(Instant exp, String subject, String... topics) {
    return Tokens.hs256(claims(subject, topics).expirationTime(Date.from(exp)));
  }

  /**
   * Returns the whole second {@code seconds} to {@code seconds + 1} ahead of now: {@code exp} is
   * counted in whole seconds, so this is the instant a token with that {@code exp} expires.
   */
  static Instant wholeSecondsAhead(long seconds) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds + 1);
  }
}
