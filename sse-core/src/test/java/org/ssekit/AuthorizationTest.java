package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Authorization}'s decisions: what each says and which values each refuses. */
class AuthorizationTest {
  @Test
  void anUnavailableDecisionIsAPassingRefusalWithItsReason() {
    Authorization unavailable = Authorization.unavailable("sessions cannot be checked now");

    assertThat(unavailable.outcome()).isEqualTo(Authorization.Outcome.UNAVAILABLE);
    assertThat(unavailable.isAllowed()).isFalse();
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.reason()).isEqualTo("sessions cannot be checked now");
    assertThat(unavailable.challenge()).isNull();
    assertThat(unavailable.expiry()).isEmpty();
    assertThat(unavailable.principal()).isEmpty();
    assertThatThrownBy(() -> unavailable.forPrincipal("alice"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is a refusal");
  }

  @Test
  void anUnavailableDecisionRefusesAReasonThatCouldBreakTheResponse() {
    assertThatThrownBy(() -> Authorization.unavailable(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
    for (String broken : new String[] {"a\rb", "a\nb", "a\0b"}) {
      assertThatThrownBy(() -> Authorization.unavailable(broken))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reason");
    }
  }

  @Test
  void eachOutcomeHasItsStatus() {
    assertThat(Authorization.allow().status()).isEqualTo(200);
    assertThat(Authorization.unauthenticated("who are you").status()).isEqualTo(401);
    assertThat(Authorization.forbidden("not yours").status()).isEqualTo(403);
    assertThat(Authorization.unavailable("later").status()).isEqualTo(503);
  }
}
