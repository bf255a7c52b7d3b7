package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.auth.jwt.Tokens.NOW;
import static org.ssekit.auth.jwt.Tokens.bearer;
import static org.ssekit.auth.jwt.Tokens.claims;
import static org.ssekit.auth.jwt.Tokens.hmacAuthorizer;
import static org.ssekit.auth.jwt.Tokens.hs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;
import org.ssekit.Authorization.Outcome;

/** Every way a token is refused, with its status, challenge and reason. */
class JwtRefusalTest {
  private static final String INVALID = "Bearer realm=\"ssekit\", error=\"invalid_token\"";

  private final JwtAuthorizer authorizer = hmacAuthorizer().build();

  @Test
  void aValidTokenIsAllowedUntilItsExpiryPlusTheClockSkew() {
    Authorization decision =
        authorizer.authorize(bearer(hs256(claims("rooms/lobby")), "rooms/lobby"));

    assertThat(decision.isAllowed()).isTrue();
    assertThat(decision.expiry()).contains(NOW.plusSeconds(3600).plusSeconds(60));
  }

  @Test
  void noTokenIsUnauthenticatedWithABearerChallengeAndNoError() {
    Authorization decision = authorizer.authorize(Tokens.request("rooms/lobby").build());

    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.challenge()).isEqualTo("Bearer realm=\"ssekit\"");
    assertThat(decision.reason())
        .isEqualTo(
            "no token: send it in an Authorization: Bearer header or the cookie ssekit_token");
  }

  @Test
  void theRealmIsConfigurable() {
    JwtAuthorizer news = hmacAuthorizer().realm("news").build();

    assertThat(news.authorize(Tokens.request("a").build()).challenge())
        .isEqualTo("Bearer realm=\"news\"");
    assertThat(news.authorize(bearer("x.y.z", "a")).challenge())
        .isEqualTo("Bearer realm=\"news\", error=\"invalid_token\"");
  }

  @Test
  void aTamperedPayloadFailsTheSignature() {
    String token = hs256(claims("rooms/lobby"));
    String[] parts = token.split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("rooms/lobby", "rooms/vault")
                    .getBytes(StandardCharsets.UTF_8));
    String tampered = parts[0] + "." + forged + "." + parts[2];

    assertRefused(tampered, "token signature invalid: tampered, or signed with another key");
  }

  @Test
  void aTokenSignedWithAnotherSecretFailsTheSignature() {
    String token = Tokens.hmac(Tokens.OTHER_SECRET, JWSAlgorithm.HS256, claims("rooms/lobby"));

    assertRefused(token, "token signature invalid: tampered, or signed with another key");
  }

  @Test
  void anUnsignedTokenIsRefusedWhateverItClaims() {
    String none = new PlainJWT(claims("rooms/lobby").build()).serialize();
    String noneWithSignature = none + "c2lnbmF0dXJl";
    String noneSpelledOtherwise =
        Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"NONE\"}".getBytes())
            + none.substring(none.indexOf('.'))
            + "c2lnbmF0dXJl";

    assertThat(new PlainHeader().getAlgorithm().getName()).isEqualTo("none");
    assertRefused(none, "token is unsigned (alg none): refused");
    assertThat(authorizer.authorize(bearer(noneWithSignature, "rooms/lobby")).status())
        .isEqualTo(401);
    assertRefused(noneSpelledOtherwise, "token algorithm not allowed: unregistered");
  }

  @Test
  void anAlgorithmOutsideTheAllowListIsRefused() {
    JwtAuthorizer hs256Only =
        JwtAuthorizer.builder()
            .hmacSecret(Tokens.LONG_SECRET)
            .algorithms("HS256")
            .clock(Tokens.CLOCK)
            .build();
    String hs512 = Tokens.hmac(Tokens.LONG_SECRET, JWSAlgorithm.HS512, claims("a"));

    Authorization decision = hs256Only.authorize(bearer(hs512, "a"));

    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.reason()).isEqualTo("token algorithm not allowed: HS512");
    assertThat(JwtAuthorizer.builder().hmacSecret(Tokens.LONG_SECRET).build().toString())
        .contains("HS512");
  }

  @Test
  void anRsaPublicKeyIsNeverUsedAsAnHmacSecret() {
    // The classic confusion: a token "signed" with HS256 and the public key's bytes as the secret.
    JwtAuthorizer rsaOnly =
        JwtAuthorizer.builder().publicKey(rsaPublic()).clock(Tokens.CLOCK).build();
    String confused = Tokens.hmac(rsaPublic().getEncoded(), JWSAlgorithm.HS256, claims("a"));

    Authorization decision = rsaOnly.authorize(bearer(confused, "a"));

    assertThat(decision.reason()).isEqualTo("token algorithm not allowed: HS256");
  }

  @Test
  void anExpiredTokenIsRefusedPastTheSkewAndAllowedWithinIt() {
    String longExpired = hs256(claims("a").expirationTime(Date.from(NOW.minusSeconds(61))));
    String justExpired = hs256(claims("a").expirationTime(Date.from(NOW.minusSeconds(30))));

    assertRefused(longExpired, "token expired");
    Authorization withinSkew = authorizer.authorize(bearer(justExpired, "a"));
    assertThat(withinSkew.isAllowed()).isTrue();
    assertThat(withinSkew.expiry()).contains(NOW.plusSeconds(30));
    JwtAuthorizer strict = authorizer.toBuilder().clockSkew(Duration.ZERO).build();
    assertThat(strict.authorize(bearer(justExpired, "a")).reason()).isEqualTo("token expired");
  }

  @Test
  void aTokenNotYetValidIsRefusedBeyondTheSkew() {
    String later = hs256(claims("a").notBeforeTime(Date.from(NOW.plusSeconds(120))));
    String soon = hs256(claims("a").notBeforeTime(Date.from(NOW.plusSeconds(30))));

    assertRefused(later, "token not yet valid (nbf)");
    assertThat(authorizer.authorize(bearer(soon, "a")).isAllowed()).isTrue();
  }

  @Test
  void theAudienceMustNameAnAcceptedOneWhenConfigured() {
    JwtAuthorizer chat = hmacAuthorizer().audience("chat", "feeds").build();
    String forFeeds = hs256(claims("a").audience(java.util.List.of("billing", "feeds")));
    String forBilling = hs256(claims("a").audience("billing"));
    String forNone = hs256(claims("a"));

    assertThat(chat.authorize(bearer(forFeeds, "a")).isAllowed()).isTrue();
    assertThat(chat.authorize(bearer(forBilling, "a")).reason())
        .isEqualTo("token audience (aud) not accepted");
    assertThat(chat.authorize(bearer(forNone, "a")).status()).isEqualTo(401);
    assertThat(authorizer.authorize(bearer(forBilling, "a")).isAllowed()).isTrue();
  }

  @Test
  void theIssuerMustBeAnAcceptedOneWhenConfigured() {
    JwtAuthorizer ours = hmacAuthorizer().issuer("https://login.example").build();
    String fromUs = hs256(claims("a").issuer("https://login.example"));
    String fromThem = hs256(claims("a").issuer("https://evil.example"));
    String fromNobody = hs256(claims("a"));

    assertThat(ours.authorize(bearer(fromUs, "a")).isAllowed()).isTrue();
    assertThat(ours.authorize(bearer(fromThem, "a")).reason())
        .isEqualTo("token issuer (iss) not accepted");
    assertThat(ours.authorize(bearer(fromNobody, "a")).reason())
        .isEqualTo("token issuer (iss) not accepted");
  }

  @Test
  void aTokenWithoutExpiryLastsUnlessExpiryIsRequired() {
    String forever = hs256(claims("a").expirationTime(null));

    Authorization lenient = authorizer.authorize(bearer(forever, "a"));
    Authorization strict =
        authorizer.toBuilder().requireExpiry(true).build().authorize(bearer(forever, "a"));

    assertThat(lenient.isAllowed()).isTrue();
    assertThat(lenient.expiry()).isEmpty();
    assertThat(strict.reason()).isEqualTo("token has no exp claim, which this server requires");
  }

  @Test
  void anOversizedTokenIsRefusedBeforeParsing() {
    String big = hs256(claims("a").claim("padding", "x".repeat(9000)));
    String garbage = "!".repeat(8193);

    assertRefused(big, "token too large: " + big.length() + " chars, the limit is 8192");
    assertRefused(garbage, "token too large: 8193 chars, the limit is 8192");
    JwtAuthorizer roomy = authorizer.toBuilder().maxTokenChars(16384).build();
    assertThat(roomy.authorize(bearer(big, "a")).isAllowed()).isTrue();
  }

  @Test
  void malformedTokensAreUnauthenticatedNeverAnException() {
    String claimsOfTheWrongType =
        Tokens.sign(
            uncheckedMac(),
            new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256),
            new com.nimbusds.jwt.JWTClaimsSet.Builder().claim("nbf", "tomorrow"));

    for (String token :
        new String[] {
          "abc", "a.b.c", "a.b", "....", "eyJ.eyJ.x", "e30.e30.e30", claimsOfTheWrongType
        }) {
      Authorization decision = authorizer.authorize(bearer(token, "a"));
      assertThat(decision.status()).as(token).isEqualTo(401);
      assertThat(decision.challenge()).as(token).isEqualTo(INVALID);
      assertThat(decision.reason()).as(token).startsWith("token ");
    }
  }

  @Test
  void anEncryptedTokenIsRefused() {
    String jwe =
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA"; // header of a JWE

    Authorization decision = authorizer.authorize(bearer(jwe, "a"));

    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.reason()).startsWith("token ");
  }

  private void assertRefused(String token, String reason) {
    Authorization decision = authorizer.authorize(bearer(token, "rooms/lobby"));
    assertThat(decision.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.challenge()).isEqualTo(INVALID);
    assertThat(decision.reason()).isEqualTo(reason).doesNotContain(token);
  }

  private static java.security.interfaces.RSAPublicKey rsaPublic() {
    try {
      return Tokens.rsa().toRSAPublicKey();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static com.nimbusds.jose.JWSSigner uncheckedMac() {
    try {
      return new com.nimbusds.jose.crypto.MACSigner(Tokens.SECRET);
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
