package org.ssekit.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.auth.jwt.Tokens.bearer;
import static org.ssekit.auth.jwt.Tokens.claims;
import static org.ssekit.auth.jwt.Tokens.hmacAuthorizer;
import static org.ssekit.auth.jwt.Tokens.hs256;
import static org.ssekit.auth.jwt.Tokens.mercureClaims;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;

/** What a token may read: the topics claim, Mercure's claim, and the whole-selection rule. */
class TopicClaimsTest {
  private final JwtAuthorizer authorizer = hmacAuthorizer().build();

  @Test
  void everyEntryOfTheSelectionMustBeCoveredNeverASubset() {
    String alice = hs256(claims("users/alice/**", "rooms/*"));

    assertThat(allowed(alice, "users/alice/inbox", "rooms/lobby", "rooms/*")).isTrue();
    assertThat(allowed(alice, "users/alice/**")).isTrue();
    Authorization mixed =
        authorizer.authorize(bearer(alice, "users/alice/inbox", "users/bob/inbox"));
    assertThat(mixed.status()).isEqualTo(403);
    assertThat(mixed.reason()).isEqualTo("the token does not allow reading users/bob/inbox");
  }

  @Test
  void aSelectorReachingBeyondTheTokenIsForbidden() {
    String alice = hs256(claims("users/alice/**"));

    assertThat(authorizer.authorize(bearer(alice, "users/*/inbox")).reason())
        .isEqualTo("the token does not allow reading users/*/inbox");
    assertThat(allowed(alice, "users/**")).isFalse();
    assertThat(allowed(alice, "rooms/lobby/**")).isFalse();
  }

  @Test
  void aTokenWithoutTopicsMayReadNothing() {
    String none = hs256(claims().claim("topics", null));
    String wrongType = hs256(claims().claim("topics", 42));

    assertThat(authorizer.authorize(bearer(none, "a")).status()).isEqualTo(403);
    assertThat(authorizer.authorize(bearer(wrongType, "a")).status()).isEqualTo(403);
  }

  @Test
  void invalidEntriesOfTheClaimGrantNothingAndTheRestStill() {
    String mixed =
        hs256(claims().claim("topics", List.of("a//b", "rooms/**/x", "", "x*", "news/**")));

    assertThat(allowed(mixed, "news/today")).isTrue();
    assertThat(allowed(mixed, "rooms/lobby/x")).isFalse();
  }

  @Test
  void aSingleStringClaimIsOneEntry() {
    assertThat(allowed(hs256(claims().claim("topics", "news/**")), "news/today")).isTrue();
  }

  @Test
  void theTopicsClaimNameIsConfigurable() {
    JwtAuthorizer scoped = hmacAuthorizer().topicsClaim("sse").build();
    String token = hs256(claims("a").claim("sse", List.of("b")));

    assertThat(scoped.authorize(bearer(token, "b")).isAllowed()).isTrue();
    assertThat(scoped.authorize(bearer(token, "a")).status()).isEqualTo(403);
  }

  @Test
  void mercureStarReadsEverything() {
    String all = hs256(mercureClaims("*"));

    assertThat(allowed(all, "rooms/lobby", "users/**", "x")).isTrue();
  }

  @Test
  void mercureExactTopicsAndUriTemplatesAreTranslated() {
    JwtAuthorizer migrated = hmacAuthorizer().mercureTopicPrefix("https://example.com/").build();
    String books =
        hs256(
            mercureClaims(
                "https://example.com/books/{id}",
                "https://example.com/users/alice/{+rest}",
                "https://example.com/news"));

    assertThat(migrated.authorize(bearer(books, "books/1", "books/*", "news")).isAllowed())
        .isTrue();
    assertThat(
            migrated.authorize(bearer(books, "users/alice/inbox/2", "users/alice/**")).isAllowed())
        .isTrue();
    assertThat(migrated.authorize(bearer(books, "books/1/reviews")).status()).isEqualTo(403);
    assertThat(migrated.authorize(bearer(books, "books/**")).status()).isEqualTo(403);
    assertThat(migrated.authorize(bearer(books, "users/bob/inbox")).status()).isEqualTo(403);
  }

  @Test
  void mercureSelectorsThatCannotBeTranslatedExactlyGrantNothing() {
    JwtAuthorizer migrated = hmacAuthorizer().mercureTopicPrefix("https://example.com/").build();
    String odd =
        hs256(
            mercureClaims(
                "https://example.com/books/*", // literal in Mercure, never a wildcard here
                "https://example.com/a{id}", // an expression inside a segment
                "https://example.com/{+x}/y", // a reserved expansion before the end
                "https://example.com/{?q}", // another operator
                "https://example.com/"));

    for (String entry : List.of("books/1", "books/*", "a1", "z/y", "q", "books/**")) {
      assertThat(migrated.authorize(bearer(odd, entry)).status()).as(entry).isEqualTo(403);
    }
  }

  @Test
  void mercureAndTopicsClaimsAddUp() {
    String both =
        hs256(claims("rooms/*").claim("mercure", java.util.Map.of("subscribe", List.of("news"))));

    assertThat(allowed(both, "rooms/lobby", "news")).isTrue();
    JwtAuthorizer topicsOnly = authorizer.toBuilder().mercureClaim(false).build();
    assertThat(topicsOnly.authorize(bearer(both, "news")).status()).isEqualTo(403);
    assertThat(topicsOnly.authorize(bearer(both, "rooms/lobby")).isAllowed()).isTrue();
  }

  @Test
  void aMercureClaimOfTheWrongShapeGrantsNothing() {
    String notAnObject = hs256(claims().claim("mercure", List.of("*")));
    String notAList = hs256(claims().claim("mercure", java.util.Map.of("subscribe", 7)));

    assertThat(authorizer.authorize(bearer(notAnObject, "a")).status()).isEqualTo(403);
    assertThat(authorizer.authorize(bearer(notAList, "a")).status()).isEqualTo(403);
  }

  private boolean allowed(String token, String... entries) {
    return authorizer.authorize(bearer(token, entries)).isAllowed();
  }
}
