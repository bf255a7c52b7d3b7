package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.auth.jwt.Tokens.claims;
import static org.ssekit.auth.jwt.Tokens.headers;
import static org.ssekit.auth.jwt.Tokens.hmacAuthorizer;
import static org.ssekit.auth.jwt.Tokens.hs256;
import static org.ssekit.auth.jwt.Tokens.request;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;
import org.ssekit.StreamRequest;

/** Where a token is read from: header, cookie, query string, and which one wins. */
class TokenSourceTest {
  private final JwtAuthorizer authorizer = hmacAuthorizer().build();
  private final String lobby = hs256(claims("rooms/lobby"));
  private final String attic = hs256(claims("rooms/attic"));

  @Test
  void theDefaultCookieCarriesATokenForEventSource() {
    assertThat(
            authorizer.authorize(Tokens.cookie("ssekit_token", lobby, "rooms/lobby")).isAllowed())
        .isTrue();
    assertThat(authorizer.authorize(Tokens.cookie("other", lobby, "rooms/lobby")).status())
        .isEqualTo(401);
  }

  @Test
  void theCookieNameIsConfigurable() {
    JwtAuthorizer mercure = hmacAuthorizer().cookieName("mercureAuthorization").build();

    assertThat(
            mercure
                .authorize(Tokens.cookie("mercureAuthorization", lobby, "rooms/lobby"))
                .isAllowed())
        .isTrue();
    assertThat(mercure.authorize(Tokens.cookie("ssekit_token", lobby, "rooms/lobby")).reason())
        .endsWith("the cookie mercureAuthorization");
  }

  @Test
  void theHeaderWinsOverTheCookie() {
    StreamRequest both =
        request("rooms/attic")
            .headers(headers("Bearer " + lobby))
            .cookies(name -> name.equals("ssekit_token") ? attic : null)
            .build();

    Authorization decision = authorizer.authorize(both);

    // The header's token (lobby only) decides, not the cookie's (attic): 403, not allowed.
    assertThat(decision.status()).isEqualTo(403);
    assertThat(decision.reason()).isEqualTo("the token does not allow reading rooms/attic");
  }

  @Test
  void aBadHeaderTokenIsNotRescuedByAGoodCookie() {
    StreamRequest both =
        request("rooms/lobby")
            .headers(headers("Bearer not-a-jwt"))
            .cookies(name -> name.equals("ssekit_token") ? lobby : null)
            .build();

    assertThat(authorizer.authorize(both).status()).isEqualTo(401);
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndOtherSchemesAreIgnored() {
    StreamRequest lower = request("rooms/lobby").headers(headers("bearer " + lobby)).build();
    StreamRequest basicThenBearer =
        request("rooms/lobby").headers(headers("Basic YWxpY2U6cHc=", "Bearer " + lobby)).build();
    StreamRequest basicOnly = request("rooms/lobby").headers(headers("Basic YWxpY2U6cHc=")).build();
    StreamRequest emptyBearer = request("rooms/lobby").headers(headers("Bearer   ")).build();

    assertThat(authorizer.authorize(lower).isAllowed()).isTrue();
    assertThat(authorizer.authorize(basicThenBearer).isAllowed()).isTrue();
    assertThat(authorizer.authorize(basicOnly).challenge()).isEqualTo("Bearer realm=\"ssekit\"");
    assertThat(authorizer.authorize(emptyBearer).reason())
        .isEqualTo("the Authorization: Bearer header has no token");
  }

  @Test
  void aQueryTokenIsRefusedByDefaultEvenBesideAValidHeader() {
    StreamRequest queryOnly =
        request("rooms/lobby").queryParameters(query("access_token", lobby)).build();
    StreamRequest queryAndHeader =
        request("rooms/lobby")
            .headers(headers("Bearer " + lobby))
            .queryParameters(query("access_token", lobby))
            .build();

    for (StreamRequest request : new StreamRequest[] {queryOnly, queryAndHeader}) {
      Authorization decision = authorizer.authorize(request);
      assertThat(decision.status()).isEqualTo(401);
      assertThat(decision.reason())
          .isEqualTo(
              "a token in the query string is refused: send it in an Authorization: Bearer header"
                  + " or the cookie ssekit_token")
          .doesNotContain(lobby);
    }
  }

  @Test
  void aQueryTokenIsReadWhenAllowedUnderItsConfiguredName() {
    JwtAuthorizer lenient =
        hmacAuthorizer().allowQueryToken(true).queryParameter("authorization").build();

    assertThat(
            lenient
                .authorize(
                    request("rooms/lobby").queryParameters(query("authorization", lobby)).build())
                .isAllowed())
        .isTrue();
    assertThat(
            lenient
                .authorize(
                    request("rooms/lobby").queryParameters(query("access_token", lobby)).build())
                .reason())
        .startsWith("no token")
        .endsWith("or the query parameter authorization");
  }

  @Test
  void anAllowedQueryTokenComesAfterTheHeaderAndTheCookie() {
    JwtAuthorizer lenient = hmacAuthorizer().allowQueryToken(true).build();
    StreamRequest cookieAndQuery =
        request("rooms/attic")
            .cookies(name -> name.equals("ssekit_token") ? lobby : null)
            .queryParameters(query("access_token", attic))
            .build();

    assertThat(lenient.authorize(cookieAndQuery).status()).isEqualTo(403);
  }

  @Test
  void aRenamedQueryParameterIsTheOneRefused() {
    JwtAuthorizer renamed = hmacAuthorizer().queryParameter("jwt").build();

    assertThat(
            renamed
                .authorize(request("rooms/lobby").queryParameters(query("jwt", lobby)).build())
                .reason())
        .startsWith("a token in the query string is refused");
  }

  private static java.util.function.Function<String, String> query(String name, String value) {
    return Map.of(name, value)::get;
  }

  @Test
  void theSubjectNamesTheStreamsOwnerSoRevocationReachesIt() {
    String anonymous = hs256(claims("rooms/lobby").subject(null));

    Authorization alice =
        authorizer.authorize(request("rooms/lobby").headers(headers("Bearer " + lobby)).build());
    Authorization nobody =
        authorizer.authorize(
            request("rooms/lobby").headers(headers("Bearer " + anonymous)).build());

    assertThat(alice.principal()).contains("alice");
    assertThat(alice.expiry()).isPresent();
    assertThat(nobody.isAllowed()).isTrue();
    assertThat(nobody.principal()).isEmpty();
  }
}
