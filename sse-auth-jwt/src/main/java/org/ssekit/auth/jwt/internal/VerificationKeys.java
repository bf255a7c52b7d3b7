package org.ssekit.auth.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The keys a token's signature may be checked with, each with the algorithms it may be used for and
 * its key id ({@code kid}) if it has one. A token is verified only by the keys whose algorithms
 * hold the token's {@code alg}, and, if both name a key id, whose id is the token's: a key is never
 * used with an algorithm of another family (the "RSA public key as HMAC secret" confusion).
 *
 * <p>Building one checks the keys' strength: HMAC secrets of at least {@value #MIN_HMAC_BYTES}
 * bytes (and the longer {@code HS384}/{@code HS512} only for secrets as long as their hash), RSA
 * moduli of at least {@value #MIN_RSA_BITS} bits.
 *
 * <p><b>Thread safety:</b> immutable; nimbus' verifiers are thread-safe.
 */
public final class VerificationKeys {
  /** The shortest HMAC secret, in bytes: the output of SHA-256, as RFC 7518 asks for HS256. */
  public static final int MIN_HMAC_BYTES = 32;

  /** The shortest RSA modulus, in bits. */
  public static final int MIN_RSA_BITS = 2048;

  private static final System.Logger LOG = System.getLogger(VerificationKeys.class.getName());

  private final List<Candidate> candidates;

  private VerificationKeys(List<Candidate> candidates) {
    this.candidates = List.copyOf(candidates);
  }

  /** One key, the algorithms it may verify, and its key id or null. */
  private record Candidate(JWSVerifier verifier, Set<JWSAlgorithm> algorithms, String kid) {}

  /**
   * Builds the keys of a configuration.
   *
   * @param hmacSecret the HMAC secret, or null if none
   * @param publicKeys RSA and EC public keys
   * @param jwkSets key sets, each named in messages by its source
   * @throws IllegalArgumentException naming the key and the rule if a key is too weak or of an
   *     unsupported kind, or if there is no usable key at all
   */
  public static VerificationKeys of(
      byte[] hmacSecret, List<PublicKey> publicKeys, List<JWKSet> jwkSets) {
    List<Candidate> candidates = new ArrayList<>();
    if (hmacSecret != null) {
      candidates.add(hmac("hmacSecret", hmacSecret, null));
    }
    for (int i = 0; i < publicKeys.size(); i++) {
      candidates.add(publicKey("publicKey " + i, publicKeys.get(i)));
    }
    for (int s = 0; s < jwkSets.size(); s++) {
      List<JWK> keys = jwkSets.get(s).getKeys();
      for (int k = 0; k < keys.size(); k++) {
        Candidate candidate = jwk("jwks " + s + " key " + k, keys.get(k));
        if (candidate != null) {
          candidates.add(candidate);
        }
      }
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(
          "keys none usable: set hmacSecret, add a publicKey or a jwks file with a signing key");
    }
    return new VerificationKeys(candidates);
  }

  /**
   * Reads a JSON Web Key Set file and checks its keys.
   *
   * @throws IllegalArgumentException naming {@code jwks} and the file if it cannot be read, is not
   *     a key set, or holds a weak or no usable key
   */
  public static JWKSet load(Path file) {
    JWKSet set;
    try {
      set = JWKSet.load(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("jwks file not readable: " + file, e);
    } catch (ParseException e) {
      throw new IllegalArgumentException("jwks file not a JSON Web Key Set: " + file, e);
    }
    of(null, List.of(), List.of(set));
    return set;
  }

  /**
   * Returns the algorithms named (every one some key verifies, if {@code names} is empty).
   *
   * @throws IllegalArgumentException naming {@code algorithms} if one is not verified by any key
   */
  public Set<JWSAlgorithm> allowed(Set<String> names) {
    Set<JWSAlgorithm> usable = algorithms();
    if (names.isEmpty()) {
      return Set.copyOf(usable);
    }
    Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
    for (String name : names) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
      if (!usable.contains(algorithm)) {
        throw new IllegalArgumentException(
            "algorithms names one no configured key verifies: "
                + name
                + " (usable: "
                + usable
                + ")");
      }
      allowed.add(algorithm);
    }
    return Set.copyOf(allowed);
  }

  /** Returns every algorithm some key may verify, in a stable order. */
  public Set<JWSAlgorithm> algorithms() {
    Set<JWSAlgorithm> all = new LinkedHashSet<>();
    for (Candidate candidate : candidates) {
      all.addAll(candidate.algorithms);
    }
    return all;
  }

  /**
   * Returns true if one of the keys for the token's algorithm (and key id) verifies its signature.
   * Never throws for a bad signature: a verifier's failure counts as not verified.
   */
  public boolean verify(SignedJWT jwt) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    String kid = jwt.getHeader().getKeyID();
    for (Candidate candidate : candidates) {
      if (!candidate.algorithms.contains(alg)) {
        continue;
      }
      if (kid != null && candidate.kid != null && !kid.equals(candidate.kid)) {
        continue;
      }
      try {
        if (jwt.verify(candidate.verifier)) {
          return true;
        }
      } catch (JOSEException | IllegalStateException wrongKey) {
        // A key that cannot verify this token (a curve mismatch, an unusable key): try the next.
      }
    }
    return false;
  }

  private static Candidate hmac(String field, byte[] secret, String kid) {
    if (secret.length < MIN_HMAC_BYTES) {
      throw new IllegalArgumentException(
          field + " shorter than " + MIN_HMAC_BYTES + " bytes: " + secret.length);
    }
    Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    algorithms.add(JWSAlgorithm.HS256);
    if (secret.length >= 48) {
      algorithms.add(JWSAlgorithm.HS384);
    }
    if (secret.length >= 64) {
      algorithms.add(JWSAlgorithm.HS512);
    }
    try {
      return new Candidate(new MACVerifier(secret), Set.copyOf(algorithms), kid);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(field + " not usable for HMAC: " + e.getMessage(), e);
    }
  }

  private static Candidate publicKey(String field, PublicKey key) {
    Objects.requireNonNull(key, field);
    if (key instanceof RSAPublicKey rsa) {
      return rsa(field, rsa, null);
    }
    if (key instanceof ECPublicKey ec) {
      return ec(field, ec, null);
    }
    throw new IllegalArgumentException(
        field + " is neither an RSA nor an EC public key: " + key.getAlgorithm());
  }

  private static Candidate rsa(String field, RSAPublicKey key, String kid) {
    int bits = key.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new IllegalArgumentException(
          field + " RSA modulus shorter than " + MIN_RSA_BITS + " bits: " + bits);
    }
    RSASSAVerifier verifier = new RSASSAVerifier(key);
    return new Candidate(verifier, Set.copyOf(verifier.supportedJWSAlgorithms()), kid);
  }

  private static Candidate ec(String field, ECPublicKey key, String kid) {
    try {
      ECDSAVerifier verifier = new ECDSAVerifier(key);
      // One algorithm per curve: ES256 for P-256, ES384 for P-384, ES512 for P-521.
      return new Candidate(verifier, Set.copyOf(verifier.supportedJWSAlgorithms()), kid);
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          field + " EC curve not supported (P-256, P-384, P-521 are): " + e.getMessage(), e);
    }
  }

  /**
   * A verifier for one key of a set, or null for a key this module does not use: an encryption key,
   * or one of a kind it does not support (logged).
   */
  private static Candidate jwk(String field, JWK jwk) {
    if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
      return null;
    }
    String kid = jwk.getKeyID();
    Candidate candidate;
    try {
      if (jwk instanceof RSAKey rsa) {
        candidate = rsa(field, rsa.toRSAPublicKey(), kid);
      } else if (jwk instanceof ECKey ec) {
        candidate = ec(field, ec.toECPublicKey(), kid);
      } else if (jwk instanceof OctetSequenceKey oct) {
        candidate = hmac(field, oct.toByteArray(), kid);
      } else {
        // An identity provider's set may hold keys of other kinds (OKP): use the rest.
        LOG.log(
            System.Logger.Level.WARNING,
            field + " skipped: key type not supported (RSA, EC and oct are): " + jwk.getKeyType());
        return null;
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException(field + " is not a usable key: " + e.getMessage(), e);
    }
    if (jwk.getAlgorithm() == null) {
      return candidate;
    }
    // A key that names its algorithm is used for that one only.
    JWSAlgorithm only = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    if (!candidate.algorithms.contains(only)) {
      LOG.log(
          System.Logger.Level.WARNING,
          field + " skipped: its key cannot verify the algorithm it names: " + only.getName());
      return null;
    }
    return new Candidate(candidate.verifier, Set.of(only), kid);
  }
}
