package org.ssekit.interop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.ssekit.auth.jwt.JwtAuthorizer;

/**
 * The tokens of the authorized scenarios and the one {@link JwtAuthorizer} that every path's {@link
 * Endpoint#AUTHORIZED} endpoint is protected by: HS256 with a secret drawn when the test JVM starts
 * (no key is committed), audience {@value #AUDIENCE}, no clock skew, so that a stream ends at its
 * token's {@code exp}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class InteropTokens {
  /** The audience of every token, and the only one the authorizer accepts. */
  static final String AUDIENCE = "ssekit-interop";

  /** The subject of every token. */
  static final String SUBJECT = "interop";

  private static final byte[] SECRET = secret();
  private static final byte[] OTHER_SECRET = secret();
  private static final JwtAuthorizer AUTHORIZER =
      JwtAuthorizer.builder()
          .hmacSecret(SECRET)
          .audience(AUDIENCE)
          .clockSkew(Duration.ZERO)
          .build();

  private InteropTokens() {}

  /** Returns the authorizer of every path's {@link Endpoint#AUTHORIZED} endpoint. */
  static JwtAuthorizer authorizer() {
    return AUTHORIZER;
  }

  /** Returns the name of the cookie the authorizer reads a token from. */
  static String cookieName() {
    return JwtAuthorizer.DEFAULT_COOKIE_NAME;
  }

  /** A valid token that may read {@code topics} (selection entries) for an hour. */
  static String valid(List<String> topics) {
    return sign(SECRET, claims(topics, Instant.now().plus(Duration.ofHours(1))));
  }

  /**
   * A token that may read {@code topics} until {@code exp}, a whole second (see {@link
   * #wholeSecondsAhead}).
   */
  static String until(Instant exp, List<String> topics) {
    return sign(SECRET, claims(topics, exp));
  }

  /** A token like {@link #valid} in every claim, but signed with another secret: refused. */
  static String signedWithAnotherKey(List<String> topics) {
    return sign(OTHER_SECRET, claims(topics, Instant.now().plus(Duration.ofHours(1))));
  }

  /**
   * Returns the whole second at least {@code seconds} and less than {@code seconds + 1} ahead: a
   * token's {@code exp} counts whole seconds, so this is exactly when a token with that {@code exp}
   * expires.
   */
  static Instant wholeSecondsAhead(long seconds) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds + 1);
  }

  private static JWTClaimsSet claims(List<String> topics, Instant exp) {
    return new JWTClaimsSet.Builder()
        .subject(SUBJECT)
        .audience(AUDIENCE)
        .issueTime(new Date())
        .expirationTime(Date.from(exp))
        .claim("topics", List.copyOf(topics))
        .build();
  }

  private static String sign(byte[] secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an interop token", e);
    }
  }

  private static byte[] secret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }
}
