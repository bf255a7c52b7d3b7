package org.ssekit.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ssekit.Selection;
import org.ssekit.StreamRequest;

/** Keys, signed tokens and stream requests for the tests, on a fixed clock. */
final class Tokens {
  static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final byte[] SECRET = bytes("0123456789abcdef0123456789abcdef"); // 32 bytes
  static final byte[] OTHER_SECRET = bytes("fedcba9876543210fedcba9876543210");
  static final byte[] LONG_SECRET = bytes("0123456789abcdef".repeat(4)); // 64 bytes

  private static RSAKey rsa;
  private static RSAKey otherRsa;
  private static ECKey p256;
  private static ECKey p384;

  private Tokens() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static synchronized RSAKey rsa() {
    return rsa != null ? rsa : (rsa = generateRsa("rsa-1"));
  }

  static synchronized RSAKey otherRsa() {
    return otherRsa != null ? otherRsa : (otherRsa = generateRsa("rsa-1"));
  }

  static synchronized ECKey p256() {
    return p256 != null ? p256 : (p256 = generateEc(Curve.P_256, "ec-1"));
  }

  static synchronized ECKey p384() {
    return p384 != null ? p384 : (p384 = generateEc(Curve.P_384, "ec-2"));
  }

  /** An HMAC authorizer on {@link #SECRET} and the fixed clock. */
  static JwtAuthorizer.Builder hmacAuthorizer() {
    return JwtAuthorizer.builder().hmacSecret(SECRET).clock(CLOCK);
  }

  /** Claims of alice, valid for an hour from {@link #NOW}, reading {@code topics}. */
  static JWTClaimsSet.Builder claims(String... topics) {
    return new JWTClaimsSet.Builder()
        .subject("alice")
        .issueTime(Date.from(NOW.minusSeconds(10)))
        .expirationTime(Date.from(NOW.plusSeconds(3600)))
        .claim("topics", List.of(topics));
  }

  /** Claims with Mercure's {@code mercure.subscribe} claim and no other topics. */
  static JWTClaimsSet.Builder mercureClaims(String... selectors) {
    Map<String, Object> mercure = new HashMap<>();
    mercure.put("subscribe", List.of(selectors));
    return new JWTClaimsSet.Builder()
        .expirationTime(Date.from(NOW.plusSeconds(3600)))
        .claim("mercure", mercure);
  }

  static String hs256(JWTClaimsSet.Builder claims) {
    return hmac(SECRET, JWSAlgorithm.HS256, claims);
  }

  static String hmac(byte[] secret, JWSAlgorithm alg, JWTClaimsSet.Builder claims) {
    try {
      return sign(new MACSigner(secret), new JWSHeader(alg), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rs(RSAKey key, JWSAlgorithm alg, JWTClaimsSet.Builder claims) {
    try {
      JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).build();
      return sign(new RSASSASigner(key), header, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String es(ECKey key, JWSAlgorithm alg, JWTClaimsSet.Builder claims) {
    try {
      JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).build();
      return sign(new ECDSASigner(key), header, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet.Builder claims) {
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** A request for {@code entries} with {@code Authorization: Bearer token}. */
  static StreamRequest bearer(String token, String... entries) {
    return request(entries).headers(headers("Bearer " + token)).build();
  }

  /** A request for {@code entries} with the cookie {@code name=token}. */
  static StreamRequest cookie(String name, String token, String... entries) {
    return request(entries).cookies(n -> n.equals(name) ? token : null).build();
  }

  static StreamRequest.Builder request(String... entries) {
    return StreamRequest.builder(Selection.of(entries));
  }

  /** A header lookup with these {@code Authorization} values. */
  static java.util.function.Function<String, List<String>> headers(String... authorization) {
    return name -> name.equalsIgnoreCase("Authorization") ? List.of(authorization) : List.of();
  }

  private static RSAKey generateRsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey generateEc(Curve curve, String kid) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
