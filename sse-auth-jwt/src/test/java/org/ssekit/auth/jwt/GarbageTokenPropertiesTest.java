package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.ssekit.Authorization;
import org.ssekit.StreamRequest;

/**
 * Whatever a client sends as a token, the answer is a {@code 401} with a reason that does not echo
 * it: never an exception, never an allowance.
 */
class GarbageTokenPropertiesTest {
  private final JwtAuthorizer authorizer =
      Tokens.hmacAuthorizer().allowQueryToken(true).maxTokenChars(2048).build();

  @Property(tries = 500)
  void anyStringAsABearerTokenIsRefusedWithoutThrowing(
      @ForAll @StringLength(min = 1, max = 3000) String token) {
    assertRefused(token, Tokens.bearer(token, "rooms/lobby"));
  }

  @Property(tries = 500)
  void anyStringAsACookieOrQueryTokenIsRefusedWithoutThrowing(
      @ForAll @StringLength(min = 1, max = 300) String token) {
    assertRefused(token, Tokens.cookie("ssekit_token", token, "rooms/lobby"));
    assertRefused(token, Tokens.request("rooms/lobby").queryParameters(name -> token).build());
  }

  @Property(tries = 1000)
  void jwtShapedGarbageIsRefusedWithoutThrowing(@ForAll("jwtShaped") String token) {
    assertRefused(token, Tokens.bearer(token, "rooms/lobby"));
  }

  @Property(tries = 300)
  void aValidTokenWithOneCharChangedIsRefused(
      @ForAll("positions") int position, @ForAll("base64urlChars") char replacement) {
    String token = Tokens.hs256(Tokens.claims("rooms/lobby"));
    int at = position % token.length();
    if (token.charAt(at) == replacement || token.charAt(at) == '.') {
      return; // no change, or a change of shape the other properties cover
    }
    String changed = token.substring(0, at) + replacement + token.substring(at + 1);
    Authorization decision = authorizer.authorize(Tokens.bearer(changed, "rooms/lobby"));
    // Changing the last char of a Base64url segment may flip only padding bits: the same bytes.
    if (decision.isAllowed()) {
      assertThat(Base64.getUrlDecoder().decode(segmentAt(changed, at)))
          .isEqualTo(Base64.getUrlDecoder().decode(segmentAt(token, at)));
      return;
    }
    assertThat(decision.status()).isEqualTo(401);
  }

  @Provide
  Arbitrary<String> jwtShaped() {
    Arbitrary<String> json =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(60),
            Arbitraries.of(
                "{\"alg\":\"HS256\"}",
                "{\"alg\":\"none\"}",
                "{\"alg\":\"RS256\",\"kid\":\"x\"}",
                "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
                "{\"alg\":\"HS256\",\"enc\":\"A128GCM\"}",
                "{\"alg\":7}",
                "{\"exp\":\"soon\",\"nbf\":[1],\"aud\":{},\"mercure\":{\"subscribe\":\"*\"}}",
                "{\"exp\":99999999999999999999,\"topics\":[\"**\"]}",
                "[]",
                "null"));
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            json.map(GarbageTokenPropertiesTest::base64url),
            Arbitraries.strings().withChars("ABCxyz019-_=+/.").ofMaxLength(40));
    return Combinators.combine(segment, segment, segment, Arbitraries.integers().between(0, 3))
        .as((a, b, c, extraDots) -> a + "." + b + "." + c + ".".repeat(extraDots));
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }

  @Provide
  Arbitrary<Character> base64urlChars() {
    return Arbitraries.chars()
        .with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  }

  private void assertRefused(String token, StreamRequest request) {
    Authorization decision = authorizer.authorize(request);
    assertThat(decision.status()).isEqualTo(401);
    assertThat(decision.reason()).isNotBlank();
    if (token.strip().length() >= 8) {
      assertThat(decision.reason()).doesNotContain(token.strip());
    }
  }

  private static String segmentAt(String token, int at) {
    int start = token.lastIndexOf('.', at - 1) + 1;
    int end = token.indexOf('.', at);
    return token.substring(start, end < 0 ? token.length() : end);
  }

  private static String base64url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
