package org.ssekit.reliability.hostile;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import org.ssekit.auth.jwt.JwtAuthorizer;

/**
 * The tokens of the hostile JWT cases: one good one (the control) and forged, tampered and replayed
 * ones that {@link #authorizer()} must refuse with {@code 401}. Signed with nimbus, as an identity
 * provider would; every forgery differs from the good token in one way only, so a {@code 200} names
 * the check that failed.
 *
 * <p><b>Thread safety:</b> stateless; the key pair is created once.
 */
final class ForgedTokens {
  /** The audience the authorizer accepts. */
  static final String AUDIENCE = "hostile";

  /** The longest token read; under the containers' 8 KiB header limit so that it is reached. */
  static final int MAX_TOKEN_CHARS = 2048;

  private static final byte[] SECRET =
      "the hostile suite's HMAC secret, 32+ bytes long".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_SECRET =
      "a secret of another service, also 32+ bytes".getBytes(StandardCharsets.US_ASCII);
  private static final KeyPair RSA = rsaKeyPair();

  /** The ways a token is forged; each is refused with 401. */
  enum Forgery {
    /** The signature's last chars changed. */
    BAD_SIGNATURE,
    /** An unsigned token ({@code alg: none}). */
    ALG_NONE,
    /** Properly signed, expired an hour ago: a replay of an old token. */
    EXPIRED_REPLAY,
    /** Signed with another service's HMAC secret. */
    WRONG_KEY,
    /** Signed with an RSA key the server does not know (an algorithm it does not allow). */
    FOREIGN_RSA,
    /** The claims of another subject under the good token's signature. */
    SWAPPED_CLAIMS,
    /** Properly signed for another audience. */
    WRONG_AUDIENCE,
    /** Properly signed, not valid for another hour. */
    NOT_YET_VALID,
    /** Three random base64url segments. */
    JWT_SHAPED_GARBAGE,
    /** Longer than {@link #MAX_TOKEN_CHARS}. */
    OVERSIZED
  }

  private ForgedTokens() {}

  /**
   * The suite's authorizer: HMAC, audience {@value #AUDIENCE}, no clock skew, tokens up to {@value
   * #MAX_TOKEN_CHARS} chars, read from the header, the cookie and the query string.
   */
  static JwtAuthorizer authorizer() {
    return JwtAuthorizer.builder()
        .hmacSecret(SECRET)
        .audience(AUDIENCE)
        .clockSkew(Duration.ZERO)
        .maxTokenChars(MAX_TOKEN_CHARS)
        .allowQueryToken(true)
        .build();
  }

  /** A good token of {@code subject} reading {@code topics} for an hour. */
  static String valid(String subject, String... topics) {
    return hs256(SECRET, claims(subject, Instant.now(), topics).build());
  }

  /** A token forged by {@code forgery}, of {@code subject} reading {@code topics}. */
  static String forged(Forgery forgery, SplittableRandom random, String subject, String... topics) {
    Instant now = Instant.now();
    switch (forgery) {
      case BAD_SIGNATURE:
        {
          String good = valid(subject, topics);
          // Not the last char, whose low bits are padding: a change there may decode the same.
          int at = good.length() - 2 - random.nextInt(8);
          char replaced = good.charAt(at) == 'A' ? 'Q' : 'A';
          return good.substring(0, at) + replaced + good.substring(at + 1);
        }
      case ALG_NONE:
        return new PlainJWT(claims(subject, now, topics).build()).serialize();
      case EXPIRED_REPLAY:
        return hs256(
            SECRET,
            claims(subject, now.minusSeconds(7200), topics)
                .expirationTime(Date.from(now.minusSeconds(3600 - random.nextInt(3000))))
                .build());
      case WRONG_KEY:
        return hs256(OTHER_SECRET, claims(subject, now, topics).build());
      case FOREIGN_RSA:
        return rs256(claims(subject, now, topics).build());
      case SWAPPED_CLAIMS:
        {
          String[] good = valid(subject, topics).split("\\.");
          String other = valid("mallory", "**").split("\\.")[1];
          return good[0] + "." + other + "." + good[2];
        }
      case WRONG_AUDIENCE:
        return hs256(SECRET, claims(subject, now, topics).audience("another-service").build());
      case NOT_YET_VALID:
        return hs256(
            SECRET,
            claims(subject, now, topics)
                .notBeforeTime(Date.from(now.plusSeconds(3600)))
                .expirationTime(Date.from(now.plusSeconds(7200)))
                .build());
      case JWT_SHAPED_GARBAGE:
        return segment(random) + "." + segment(random) + "." + segment(random);
      case OVERSIZED:
        return hs256(
            SECRET,
            claims(subject, now, topics)
                .claim("padding", "x".repeat(MAX_TOKEN_CHARS + random.nextInt(2000)))
                .build());
      default:
        throw new AssertionError(forgery);
    }
  }

  private static String segment(SplittableRandom random) {
    byte[] bytes = new byte[1 + random.nextInt(200)];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static JWTClaimsSet.Builder claims(String subject, Instant issued, String... topics) {
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .audience(AUDIENCE)
        .issueTime(Date.from(issued))
        .expirationTime(Date.from(issued.plus(Duration.ofHours(1))))
        .claim("topics", List.of(topics));
  }

  private static String hs256(byte[] secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a test token", e);
    }
  }

  private static String rs256(JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
      jwt.sign(new RSASSASigner(RSA.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a test token", e);
    }
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA", e);
    }
  }
}
