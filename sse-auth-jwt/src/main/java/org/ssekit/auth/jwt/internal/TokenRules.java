package org.ssekit.auth.jwt.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.ssekit.Authorization;
import org.ssekit.StreamRequest;

/**
 * The decision of a {@code JwtAuthorizer}, step by step, each refusal with a reason that names the
 * problem and never the token: find the token ({@link TokenLookup}); refuse an oversized one before
 * parsing it; parse it, refusing unsigned ({@code alg: none}) and encrypted tokens; check the
 * algorithm against the allow-list and the signature against the keys ({@link VerificationKeys});
 * check {@code exp}, {@code nbf}, {@code iss} and {@code aud}; then the topics ({@link
 * TopicGrants}). Failures up to the claims answer {@code 401}; a valid token that does not cover
 * the whole selection answers {@code 403}. The allowance lasts until {@code exp} plus the clock
 * skew: the moment this authorizer would start refusing the token.
 *
 * <p>Nothing a client sends makes this throw: the parser's and verifiers' failures, checked or not,
 * are refusals.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param keys the verification keys
 * @param algorithms the allowed algorithms, each one some key verifies
 * @param lookup where tokens are found
 * @param grants which claims grant topics
 * @param issuers the accepted {@code iss} values; empty accepts any
 * @param audiences the accepted {@code aud} values, one of which the token must name; empty accepts
 *     any
 * @param requireExpiry whether a token without {@code exp} is refused
 * @param clockSkew the tolerance of {@code exp} and {@code nbf}
 * @param maxTokenChars the longest token read
 * @param realm the realm of the {@code WWW-Authenticate: Bearer} challenge
 * @param clock the clock of the time checks
 */
public record TokenRules(
    VerificationKeys keys,
    Set<JWSAlgorithm> algorithms,
    TokenLookup lookup,
    TopicGrants grants,
    Set<String> issuers,
    Set<String> audiences,
    boolean requireExpiry,
    Duration clockSkew,
    int maxTokenChars,
    String realm,
    Clock clock) {
  private static final System.Logger LOG = System.getLogger(TokenRules.class.getName());
  private static final Instant FOREVER = Instant.parse("9999-12-31T23:59:59Z");

  /** Returns the decision on {@code request}; never throws for what the client sent. */
  public Authorization decide(StreamRequest request) {
    try {
      return decideOrThrow(request);
    } catch (RuntimeException odd) {
      // Claims at the edges of time arithmetic (an exp in year 300 million) and whatever else a
      // crafted token finds: a refusal, never a 500. DEBUG: clients can cause it at will.
      LOG.log(System.Logger.Level.DEBUG, () -> "token refused on " + odd, odd);
      return invalid("token malformed: its claims cannot be read");
    }
  }

  private Authorization decideOrThrow(StreamRequest request) {
    TokenLookup.Found found = lookup.find(request);
    if (found.token() == null) {
      return found.missing()
          ? Authorization.unauthenticated(challenge(), found.reason())
          : invalid(found.reason());
    }
    String token = found.token();
    if (token.length() > maxTokenChars) {
      return invalid(
          "token too large: " + token.length() + " chars, the limit is " + maxTokenChars);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      JWT parsed = JWTParser.parse(token);
      if (parsed instanceof PlainJWT) {
        return invalid("token is unsigned (alg none): refused");
      }
      if (parsed instanceof EncryptedJWT) {
        return invalid("token is encrypted (JWE): only signed tokens are read");
      }
      jwt = (SignedJWT) parsed;
      if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
        return invalid("token algorithm not allowed: " + algorithmName(jwt));
      }
      if (!keys.verify(jwt)) {
        return invalid("token signature invalid: tampered, or signed with another key");
      }
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException malformed) {
      // The parser's unchecked failures (bad Base64, odd JSON) are malformed input, not our bug.
      LOG.log(System.Logger.Level.DEBUG, () -> "token refused as malformed: " + malformed);
      return invalid("token malformed: not a compact signed JWT with a JSON claims set");
    }
    String claimsProblem = checkClaims(claims);
    if (claimsProblem != null) {
      return invalid(claimsProblem);
    }
    List<String[]> templates;
    try {
      templates = grants.templates(claims.getClaims());
    } catch (RuntimeException malformed) {
      LOG.log(System.Logger.Level.DEBUG, () -> "topic claims refused as malformed: " + malformed);
      templates = List.of();
    }
    String uncovered = TopicGrants.firstUncovered(request.selection(), templates);
    if (uncovered != null) {
      return Authorization.forbidden("the token does not allow reading " + uncovered);
    }
    Date exp = claims.getExpirationTime();
    Instant until = exp == null ? null : exp.toInstant().plus(clockSkew);
    // Beyond any date a scheduler computes with: as good as no expiry.
    Authorization allowed =
        until == null || until.isAfter(FOREVER)
            ? Authorization.allow()
            : Authorization.allowUntil(until);
    // The subject names the stream's owner, so SseHub.closeStreamsOf(subject) reaches it.
    String subject = claims.getSubject();
    return subject == null || subject.isEmpty() ? allowed : allowed.forPrincipal(subject);
  }

  /** The first problem of the claims' times, issuer and audience, or null. */
  private String checkClaims(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null && requireExpiry) {
      return "token has no exp claim, which this server requires";
    }
    if (exp != null && !now.isBefore(exp.toInstant().plus(clockSkew))) {
      return "token expired";
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
      return "token not yet valid (nbf)";
    }
    String issuer = claims.getIssuer();
    if (!issuers.isEmpty() && (issuer == null || !issuers.contains(issuer))) {
      return "token issuer (iss) not accepted";
    }
    if (!audiences.isEmpty() && !namesAcceptedAudience(claims.getAudience())) {
      return "token audience (aud) not accepted";
    }
    return null;
  }

  private boolean namesAcceptedAudience(List<String> audience) {
    for (String one : audience) {
      if (one != null && audiences.contains(one)) {
        return true;
      }
    }
    return false;
  }

  /** The algorithm's name if it is a registered one, so that no client text is echoed. */
  private static String algorithmName(SignedJWT jwt) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    for (JWSAlgorithm known : KNOWN) {
      if (known.equals(alg)) {
        return known.getName();
      }
    }
    return "unregistered";
  }

  private static final List<JWSAlgorithm> KNOWN =
      List.of(
          JWSAlgorithm.HS256,
          JWSAlgorithm.HS384,
          JWSAlgorithm.HS512,
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES256K,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519,
          JWSAlgorithm.Ed448);

  private Authorization invalid(String reason) {
    return Authorization.unauthenticated(challenge() + ", error=\"invalid_token\"", reason);
  }

  private String challenge() {
    return "Bearer realm=\"" + realm + "\"";
  }
}
