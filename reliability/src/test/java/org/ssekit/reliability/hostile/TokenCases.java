package org.ssekit.reliability.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ssekit.auth.jwt.JwtAuthorizer;
import org.ssekit.reliability.hostile.ForgedTokens.Forgery;

/**
 * Forged, tampered and replayed JWTs (bad signature, {@code alg: none}, an expired token replayed,
 * another service's key, an unknown RSA key, swapped claims, another audience, not yet valid,
 * JWT-shaped garbage, oversized) by {@code Authorization: Bearer} header, by the {@code
 * ssekit_token} cookie and by the {@code access_token} query parameter, to the streams behind the
 * {@link JwtAuthorizer}: each gets {@code 401} with the reason sse-auth-jwt's README gives for it.
 * One case in ten is a control: a valid token (sent again and again, as a replay of a token that is
 * still valid is: a JWT is good until its {@code exp}) gets the stream. And forged session cookies
 * ({@code JSESSIONID}, which no ssekit stream reads) on the open stream change nothing.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class TokenCases implements CaseGenerator {
  private static final String TOPIC = "users/alice/inbox";

  @Override
  public List<HostileCase> generate(SplittableRandom random, Way way, int count) {
    List<HostileCase> cases = new ArrayList<>(count);
    Forgery[] forgeries = Forgery.values();
    for (int i = 0; i < count; i++) {
      int pick = random.nextInt(20);
      if (pick == 0) {
        String session =
            Garbage.printable(random, random.nextInt(8, 64)).replaceAll("[;,\"\\\\]", "x");
        cases.add(
            HostileCase.of(
                "forged JSESSIONID " + session,
                way.open() + "?entry=" + TOPIC,
                List.of("Cookie: JSESSIONID=" + session),
                Expect.stream()));
        continue;
      }
      Forgery forgery = pick == 1 ? null : forgeries[random.nextInt(forgeries.length)];
      String token =
          forgery == null
              ? ForgedTokens.valid("alice", "users/alice/**")
              : ForgedTokens.forged(forgery, random, "alice", "users/alice/**");
      Expect expect = forgery == null ? Expect.stream() : Expect.refusal(401, reason(forgery));
      String target = way.jwt() + "?entry=" + TOPIC;
      String description = (forgery == null ? "valid token" : forgery.toString());
      switch (random.nextInt(3)) {
        case 0:
          cases.add(
              HostileCase.of(
                  description + " by header",
                  target,
                  List.of("Authorization: Bearer " + token),
                  expect));
          break;
        case 1:
          cases.add(
              HostileCase.of(
                  description + " by cookie",
                  target,
                  List.of("Cookie: " + JwtAuthorizer.DEFAULT_COOKIE_NAME + "=" + token),
                  expect));
          break;
        default:
          cases.add(
              HostileCase.of(
                  description + " by query", target + "&access_token=" + token, List.of(), expect));
      }
    }
    return cases;
  }

  /** The reason sse-auth-jwt's README gives for each forgery. */
  private static String reason(Forgery forgery) {
    switch (forgery) {
      case BAD_SIGNATURE:
      case WRONG_KEY:
      case SWAPPED_CLAIMS:
        return "token signature invalid";
      case ALG_NONE:
        return "token is unsigned (alg none)";
      case EXPIRED_REPLAY:
        return "token expired";
      case FOREIGN_RSA:
        return "token algorithm not allowed";
      case WRONG_AUDIENCE:
        return "token audience (aud) not accepted";
      case NOT_YET_VALID:
        return "token not yet valid (nbf)";
      case JWT_SHAPED_GARBAGE:
        return "token malformed";
      case OVERSIZED:
        return "token too large";
      default:
        throw new AssertionError(forgery);
    }
  }
}
