package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ssekit.auth.jwt.Tokens.bearer;
import static org.ssekit.auth.jwt.Tokens.claims;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSA, EC and JWKS keys, and the builder's checks. */
class KeysAndConfigurationTest {
  @TempDir Path dir;

  @Test
  void rsaKeysVerifyRsAndPsTokens() throws JOSEException {
    JwtAuthorizer rsa =
        JwtAuthorizer.builder()
            .publicKey(Tokens.rsa().toRSAPublicKey())
            .clock(Tokens.CLOCK)
            .build();

    for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
      assertThat(rsa.authorize(bearer(Tokens.rs(Tokens.rsa(), alg, claims("a")), "a")).isAllowed())
          .as(alg.getName())
          .isTrue();
    }
    String otherKey = Tokens.rs(Tokens.otherRsa(), JWSAlgorithm.RS256, claims("a"));
    assertThat(rsa.authorize(bearer(otherKey, "a")).reason())
        .isEqualTo("token signature invalid: tampered, or signed with another key");
  }

  @Test
  void ecKeysVerifyTheAlgorithmOfTheirCurveOnly() throws JOSEException {
    JwtAuthorizer ec =
        JwtAuthorizer.builder()
            .publicKey(Tokens.p256().toECPublicKey())
            .clock(Tokens.CLOCK)
            .build();

    String es256 = Tokens.es(Tokens.p256(), JWSAlgorithm.ES256, claims("a"));
    String es384 = Tokens.es(Tokens.p384(), JWSAlgorithm.ES384, claims("a"));
    assertThat(ec.authorize(bearer(es256, "a")).isAllowed()).isTrue();
    assertThat(ec.authorize(bearer(es384, "a")).reason())
        .isEqualTo("token algorithm not allowed: ES384");
    assertThat(ec.toString()).contains("ES256").doesNotContain("ES384", "RS256", "HS256");
  }

  @Test
  void aJwksFileSuppliesKeysMatchedByKid() throws Exception {
    Path jwks =
        write(new JWKSet(List.<JWK>of(Tokens.rsa().toPublicJWK(), Tokens.p256().toPublicJWK())));
    JwtAuthorizer fromFile = JwtAuthorizer.builder().jwks(jwks).clock(Tokens.CLOCK).build();

    String rs = Tokens.rs(Tokens.rsa(), JWSAlgorithm.RS256, claims("a"));
    String es = Tokens.es(Tokens.p256(), JWSAlgorithm.ES256, claims("a"));
    String impostor = Tokens.rs(Tokens.otherRsa(), JWSAlgorithm.RS256, claims("a")); // same kid
    assertThat(fromFile.authorize(bearer(rs, "a")).isAllowed()).isTrue();
    assertThat(fromFile.authorize(bearer(es, "a")).isAllowed()).isTrue();
    assertThat(fromFile.authorize(bearer(impostor, "a")).status()).isEqualTo(401);
  }

  @Test
  void aJwksKeyWithAnotherKidIsNotTried() throws Exception {
    RSAKey renamed = new RSAKey.Builder(Tokens.rsa().toRSAPublicKey()).keyID("rsa-2").build();
    JwtAuthorizer fromFile =
        JwtAuthorizer.builder().jwks(write(new JWKSet(renamed))).clock(Tokens.CLOCK).build();

    String rs = Tokens.rs(Tokens.rsa(), JWSAlgorithm.RS256, claims("a")); // kid rsa-1

    assertThat(fromFile.authorize(bearer(rs, "a")).status()).isEqualTo(401);
  }

  @Test
  void jwksEncryptionKeysAreSkippedAndAKeysAlgRestrictsIt() throws Exception {
    RSAKey forEncryption =
        new RSAKey.Builder(Tokens.rsa().toRSAPublicKey()).keyUse(KeyUse.ENCRYPTION).build();
    RSAKey ps256Only =
        new RSAKey.Builder(Tokens.rsa().toRSAPublicKey())
            .keyID("rsa-1")
            .algorithm(JWSAlgorithm.PS256)
            .build();

    assertThatThrownBy(() -> JwtAuthorizer.builder().jwks(write(new JWKSet(forEncryption))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keys none usable");
    JwtAuthorizer restricted =
        JwtAuthorizer.builder().jwks(write(new JWKSet(ps256Only))).clock(Tokens.CLOCK).build();
    assertThat(
            restricted
                .authorize(bearer(Tokens.rs(Tokens.rsa(), JWSAlgorithm.PS256, claims("a")), "a"))
                .isAllowed())
        .isTrue();
    assertThat(
            restricted
                .authorize(bearer(Tokens.rs(Tokens.rsa(), JWSAlgorithm.RS256, claims("a")), "a"))
                .reason())
        .isEqualTo("token algorithm not allowed: RS256");
  }

  @Test
  void aJwksHmacKeyObeysTheMinimumLength() throws IOException {
    OctetSequenceKey shortKey = new OctetSequenceKey.Builder(new byte[16]).build();
    OctetSequenceKey goodKey = new OctetSequenceKey.Builder(Tokens.SECRET).build();

    assertThatThrownBy(() -> JwtAuthorizer.builder().jwks(write(new JWKSet(shortKey))))
        .hasMessage("jwks 0 key 0 shorter than 32 bytes: 16");
    JwtAuthorizer oct =
        JwtAuthorizer.builder().jwks(write(new JWKSet(goodKey))).clock(Tokens.CLOCK).build();
    assertThat(oct.authorize(bearer(Tokens.hs256(claims("a")), "a")).isAllowed()).isTrue();
  }

  @Test
  void aJwksFileThatCannotBeReadOrParsedIsRefusedAtConfiguration() throws IOException {
    Path missing = dir.resolve("missing.json");
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{not json", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JwtAuthorizer.builder().jwks(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwks file not readable: " + missing);
    assertThatThrownBy(() -> JwtAuthorizer.builder().jwks(notJson))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jwks file not a JSON Web Key Set: " + notJson);
  }

  @Test
  void weakOrMissingKeysAreRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    PublicKey weakRsa = generator.generateKeyPair().getPublic();

    assertThatThrownBy(() -> JwtAuthorizer.builder().hmacSecret(new byte[16]))
        .hasMessage("hmacSecret shorter than 32 bytes: 16");
    assertThatThrownBy(() -> JwtAuthorizer.builder().publicKey(weakRsa))
        .hasMessage("publicKey 0 RSA modulus shorter than 2048 bits: 1024");
    assertThatThrownBy(() -> JwtAuthorizer.builder().publicKey(dsaKey()))
        .hasMessage("publicKey 0 is neither an RSA nor an EC public key: DSA");
    assertThatThrownBy(() -> JwtAuthorizer.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keys none usable");
  }

  @Test
  void algorithmsAreCheckedAgainstTheKeysAndNoneIsNeverAllowed() {
    assertThatThrownBy(() -> JwtAuthorizer.builder().algorithms("none"))
        .hasMessage("algorithms none is never allowed: none");
    assertThatThrownBy(() -> JwtAuthorizer.builder().algorithms())
        .hasMessageStartingWith("algorithms empty");
    assertThatThrownBy(() -> Tokens.hmacAuthorizer().algorithms("RS256").build())
        .hasMessageStartingWith("algorithms names one no configured key verifies: RS256");
    assertThatThrownBy(() -> Tokens.hmacAuthorizer().algorithms("HS512").build())
        .as("a 32-byte secret is too short for HS512")
        .hasMessageStartingWith("algorithms names one no configured key verifies: HS512");
  }

  @Test
  void namesAndLimitsAreCheckedAtOnce() {
    JwtAuthorizer.Builder builder = JwtAuthorizer.builder();

    assertThatThrownBy(() -> builder.cookieName("a b"))
        .hasMessage("cookieName has a char not allowed in a token at 1: 0x20");
    assertThatThrownBy(() -> builder.queryParameter(""))
        .hasMessageStartingWith("queryParameter empty");
    assertThatThrownBy(() -> builder.realm("a\"b"))
        .hasMessage("realm has a char that cannot be quoted at 1: 0x22");
    assertThatThrownBy(() -> builder.maxTokenChars(10))
        .hasMessage("maxTokenChars must be 128-1048576: 10");
    assertThatThrownBy(() -> builder.clockSkew(Duration.ofSeconds(-1)))
        .hasMessage("clockSkew must be 0-10 minutes: PT-1S");
    assertThatThrownBy(() -> builder.topicsClaim("")).hasMessageStartingWith("topicsClaim empty");
    assertThatThrownBy(() -> builder.issuer("a", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toBuilderMakesAVariantAndLeavesTheOriginalAlone() {
    JwtAuthorizer original = Tokens.hmacAuthorizer().audience("chat").build();
    JwtAuthorizer variant = original.toBuilder().audience("feeds").build();
    String forChat = Tokens.hs256(claims("a").audience("chat"));

    assertThat(original.authorize(bearer(forChat, "a")).isAllowed()).isTrue();
    assertThat(variant.authorize(bearer(forChat, "a")).status()).isEqualTo(401);
  }

  @Test
  void theSecretIsCopiedAndNeverShown() {
    byte[] secret = Tokens.SECRET.clone();
    JwtAuthorizer authorizer =
        JwtAuthorizer.builder().hmacSecret(secret).clock(Tokens.CLOCK).build();
    secret[0] ^= 1;

    assertThat(authorizer.authorize(bearer(Tokens.hs256(claims("a")), "a")).isAllowed()).isTrue();
    assertThat(authorizer.toString())
        .doesNotContain(new String(Tokens.SECRET, StandardCharsets.US_ASCII));
  }

  private Path write(JWKSet set) throws IOException {
    Path file = Files.createTempFile(dir, "jwks", ".json");
    return Files.writeString(file, set.toString(false), StandardCharsets.UTF_8);
  }

  private static PublicKey dsaKey() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
    generator.initialize(2048);
    return generator.generateKeyPair().getPublic();
  }
}
