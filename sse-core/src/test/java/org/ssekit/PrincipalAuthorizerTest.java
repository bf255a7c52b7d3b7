package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Principal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decisions of the authorizer on the container's identity. */
class PrincipalAuthorizerTest {
  private final PrincipalAuthorizer authorizer =
      PrincipalAuthorizer.builder()
          .allowAnyone("news/**")
          .allowAuthenticated("users/{principal}/**", "rooms/*")
          .allowRole("admin", "**")
          .challenge("Basic realm=\"test\"")
          .build();

  private static StreamRequest request(String name, Set<String> roles, String... entries) {
    Principal principal = name == null ? null : () -> name;
    return StreamRequest.builder(Selection.of(entries))
        .principal(principal)
        .roles(roles::contains)
        .build();
  }

  @Test
  void anonymousClientsReadWhatAnyoneMayAndAreChallengedForTheRest() {
    assertThat(authorizer.authorize(request(null, Set.of(), "news/today")).isAllowed()).isTrue();
    Authorization refused = authorizer.authorize(request(null, Set.of(), "news/**", "users/a"));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.challenge()).isEqualTo("Basic realm=\"test\"");
    assertThat(refused.reason()).isEqualTo("sign in to read users/a");
  }

  @Test
  void aPrincipalReadsItsOwnTopicsAlsoThroughSelectorsButNeverAnothers() {
    assertThat(
            authorizer
                .authorize(request("alice", Set.of(), "users/alice/inbox", "users/alice/**"))
                .isAllowed())
        .isTrue();
    for (String other : new String[] {"users/bob/inbox", "users/*/inbox", "users/**", "**"}) {
      Authorization refused = authorizer.authorize(request("alice", Set.of(), other, "rooms/a"));
      assertThat(refused.status()).as(other).isEqualTo(403);
      assertThat(refused.reason()).isEqualTo("the signed-in user may not read " + other);
      assertThat(refused.challenge()).isNull();
    }
  }

  @Test
  void theWholeSelectionIsDecidedNeverAPart() {
    Authorization decision =
        authorizer.authorize(request("alice", Set.of(), "users/alice/inbox", "users/bob/inbox"));
    assertThat(decision.status()).isEqualTo(403);
  }

  @Test
  void rolesAddTheirTemplates() {
    assertThat(authorizer.authorize(request("root", Set.of("admin"), "users/*/inbox")).isAllowed())
        .isTrue();
  }

  @Test
  void aNameThatIsNoCleanSegmentIsNeverSubstituted() {
    for (String name : new String[] {"*", "**", "a/b", "", "x\ny"}) {
      assertThat(authorizer.authorize(request(name, Set.of(), "users/x/inbox")).status())
          .as(name)
          .isEqualTo(403);
    }
    // A name "*" must not turn users/{principal}/** into users/*/**.
    assertThat(authorizer.authorize(request("*", Set.of(), "users/bob/inbox")).status())
        .isEqualTo(403);
  }

  @Test
  void badTemplatesAreRefusedWhenConfigured() {
    assertThatThrownBy(() -> PrincipalAuthorizer.builder().allowAnyone("users/{principal}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowAnyone template names {principal}");
    assertThatThrownBy(() -> PrincipalAuthorizer.builder().allowAuthenticated("u/x{principal}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowAuthenticated template 0 has {principal} inside a segment: it must be a whole segment");
    assertThatThrownBy(() -> PrincipalAuthorizer.builder().allowAuthenticated("a/**/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowAuthenticated template 0 has ** before its last segment");
    assertThatThrownBy(() -> PrincipalAuthorizer.builder().allowRole("r", "a/{other}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside a {principal} placeholder");
    assertThatThrownBy(() -> PrincipalAuthorizer.builder().challenge("Basic\r\nX: y"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
