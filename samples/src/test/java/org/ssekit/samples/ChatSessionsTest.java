package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;
import org.ssekit.Selection;
import org.ssekit.StreamRequest;

/**
 * The session cookie and the authorizer as units, on a clock the test moves: what verifies, what is
 * no session, and which selections a session may read.
 */
class ChatSessionsTest {
  private static final Instant START = Instant.parse("2026-12-05T08:00:00Z");

  /** A clock the test sets. */
  private static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(START);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration duration) {
      now.updateAndGet(instant -> instant.plus(duration));
    }
  }

  private final TestClock clock = new TestClock();
  private final ChatSessions sessions = new ChatSessions(Duration.ofMinutes(10), false, clock);

  private static String value(String setCookie) {
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  @Test
  void aCookieVerifiesAsItsNameUntilItsExpiryAndNotFromThen() {
    String cookie = value(sessions.login("alice"));

    assertThat(sessions.verify(cookie))
        .contains(new ChatSessions.Session("alice", START.plus(Duration.ofMinutes(10))));
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(sessions.verify(cookie)).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(sessions.verify(cookie)).isEmpty();
  }

  @Test
  void aCookieOfAnotherProcessOrChangedInAnyPartIsNoSession() {
    String cookie = value(sessions.login("alice"));
    String[] parts = cookie.split("\\.");
    ChatSessions otherProcess = new ChatSessions(Duration.ofMinutes(10), false, clock);

    assertThat(otherProcess.verify(cookie)).isEmpty();
    assertThat(sessions.verify("bob." + parts[1] + "." + parts[2])).isEmpty();
    assertThat(sessions.verify("alice." + (Long.parseLong(parts[1]) + 1) + "." + parts[2]))
        .isEmpty();
    assertThat(sessions.verify(cookie + "A")).isEmpty();
    assertThat(sessions.verify(cookie.replace(parts[2], parts[2].toLowerCase()))).isEmpty();
    assertThat(sessions.verify("alice.99999999999999999999." + parts[2])).isEmpty();
    assertThat(sessions.verify("")).isEmpty();
    assertThat(sessions.verify((String) null)).isEmpty();
  }

  @Test
  void aLogoutRevokesTheNamesEarlierCookiesButNotLaterOnesNorOtherNames() {
    String first = value(sessions.login("alice"));
    String bob = value(sessions.login("bob"));
    clock.advance(Duration.ofSeconds(1));
    String second = value(sessions.login("alice"));

    sessions.logout(sessions.verify(first).orElseThrow());
    String third = value(sessions.login("alice"));

    assertThat(sessions.verify(first)).isEmpty();
    assertThat(sessions.verify(second)).isEmpty();
    assertThat(sessions.verify(third)).isPresent();
    assertThat(sessions.verify(bob)).isPresent();
  }

  @Test
  void aLogoutWithACookieAnEarlierLogoutRevokedKeepsTheNamesLaterLoginValid() {
    String old = value(sessions.login("alice"));
    ChatSessions.Session oldSession = sessions.verify(old).orElseThrow();
    sessions.logout(oldSession);
    clock.advance(Duration.ofSeconds(1));
    String fresh = value(sessions.login("alice"));

    // Still authentic (signed, not expired): enough to say whose it is for a retried logout.
    assertThat(sessions.verify(old)).isEmpty();
    assertThat(sessions.authentic(old)).contains(oldSession);
    sessions.logout(sessions.authentic(old).orElseThrow());

    assertThat(sessions.verify(fresh)).isPresent();
    assertThat(sessions.authentic("alice.1." + "A".repeat(43))).isEmpty();
  }

  @Test
  void underContentionEveryCookieVerifiesAsItsOwnUserAndLogoutsRevokeOnlyTheirName()
      throws Exception {
    ChatSessions shared = new ChatSessions(Duration.ofMinutes(10), false, Clock.systemUTC());
    int threads = 8;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String name = "user" + t;
        results.add(
            pool.submit(
                () -> {
                  assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                  List<String> cookies = new ArrayList<>();
                  for (int i = 0; i < rounds; i++) {
                    String cookie = value(shared.login(name));
                    assertThat(shared.verify(cookie).map(ChatSessions.Session::name))
                        .contains(name);
                    // A user that keeps logging out, beside the others.
                    if (name.equals("user0")) {
                      shared.logout(shared.verify(cookie).orElseThrow());
                      assertThat(shared.verify(cookie)).isEmpty();
                    }
                    cookies.add(cookie);
                  }
                  return cookies;
                }));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        List<String> cookies = results.get(t).get(30, TimeUnit.SECONDS);
        for (String cookie : cookies) {
          assertThat(shared.verify(cookie).isPresent()).isEqualTo(t != 0);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theCookieIsHttpOnlyLaxForTheWholeSiteAndSecureOverTls() {
    assertThat(sessions.login("alice")).endsWith("; Max-Age=600; Path=/; HttpOnly; SameSite=Lax");
    assertThat(new ChatSessions(Duration.ofSeconds(5), true, clock).login("alice"))
        .endsWith("; Max-Age=5; Path=/; HttpOnly; SameSite=Lax; Secure");
    assertThat(sessions.clearingCookie())
        .isEqualTo("chat_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  }

  @Test
  void namesAreOneToThirtyTwoCharsOfLettersDigitsUnderscoreAndHyphen() {
    assertThat(ChatSessions.name("A_z-09", "name")).isEqualTo("A_z-09");
    assertThat(ChatSessions.name("x".repeat(32), "name")).hasSize(32);
    for (String bad : new String[] {"x".repeat(33), "a/b", "*", "a.b", "é", " a"}) {
      assertThatThrownBy(() -> ChatSessions.name(bad, "name"))
          .isInstanceOf(ChatRequestException.class)
          .hasMessageStartingWith("name must be 1-32 chars of [A-Za-z0-9_-]: ");
    }
    assertThatThrownBy(() -> ChatSessions.name(null, "to")).hasMessage("missing to");
  }

  private Authorization authorize(String cookie, String... entries) {
    return new ChatAuthorizer(sessions)
        .authorize(
            StreamRequest.builder(Selection.of(entries))
                .cookies(name -> name.equals(ChatSessions.COOKIE) ? cookie : null)
                .build());
  }

  @Test
  void aSessionReadsRoomsAndItsOwnInboxUntilItExpiresAndForItsName() {
    String alice = value(sessions.login("alice"));

    Authorization allowed = authorize(alice, "rooms/lobby", "users/alice/inbox");

    assertThat(allowed.isAllowed()).isTrue();
    assertThat(allowed.principal()).contains("alice");
    assertThat(allowed.expiry()).contains(START.plus(Duration.ofMinutes(10)));
    assertThat(authorize(alice, "lobby").principal()).contains("alice");
  }

  @Test
  void aSessionThatCannotBeCheckedNowIsAPassingRefusalNotA403() {
    Logouts unreachable =
        new Logouts() {
          @Override
          public long issueMillis(String name) {
            return clock.millis();
          }

          @Override
          public long logOut(String name) {
            throw down();
          }

          @Override
          public long lastLogoutMillis(String name) {
            throw down();
          }

          @Override
          public void close() {}

          private ChatRequestException down() {
            return ChatRequestException.unavailable(
                "sessions cannot be checked now", Duration.ofSeconds(5), null);
          }
        };
    ChatSessions redisDown =
        new ChatSessions(SessionKey.random(), unreachable, Duration.ofMinutes(10), false, clock);
    String alice = value(redisDown.login("alice"));

    Authorization decision =
        new ChatAuthorizer(redisDown)
            .authorize(
                StreamRequest.builder(Selection.of("rooms/lobby"))
                    .cookies(name -> name.equals(ChatSessions.COOKIE) ? alice : null)
                    .build());

    assertThat(decision.outcome()).isEqualTo(Authorization.Outcome.UNAVAILABLE);
    assertThat(decision.reason()).isEqualTo("sessions cannot be checked now");
  }

  @Test
  void noSelectionReachesAnotherUsersInboxNorAnySelectorOverInboxes() {
    String alice = value(sessions.login("alice"));
    String[][] forbidden = {
      {"users/bob/inbox"},
      {"rooms/lobby", "users/bob/inbox"},
      {"users/*/inbox"},
      {"users/**"},
      {"**"},
      {"*/bob/inbox"},
      {"users/alice/**"},
      {"users/alice/inbox/more"},
    };
    for (String[] entries : forbidden) {
      Authorization decision = authorize(alice, entries);
      assertThat(decision.status()).as(String.join(",", entries)).isEqualTo(403);
      Authorization anonymous = authorize(null, entries);
      assertThat(anonymous.status()).as(String.join(",", entries)).isEqualTo(401);
      assertThat(anonymous.challenge()).isEqualTo(ChatSessions.CHALLENGE);
    }
  }

  @Test
  void withoutASessionRoomsAreOpenForAsLongAsTheStreamLastsAndTheInboxIs401() {
    Authorization rooms = authorize(null, "lobby");
    assertThat(rooms.isAllowed()).isTrue();
    assertThat(rooms.expiry()).isEmpty();
    assertThat(rooms.principal()).isEmpty();
    assertThat(authorize("garbage", "rooms/a", "rooms/b").isAllowed()).isTrue();
    assertThat(authorize(null, "users/alice/inbox").status()).isEqualTo(401);
  }

  @Test
  void aDmIsOneLineOfJsonWithQuotesBackslashesAndControlCharactersEscaped() {
    assertThat(DirectMessages.json("alice", "a\"b\\c\nd\re\tf\u0001\u007f\u2028\u2029 ü 😀"))
        .isEqualTo(
            "{\"from\":\"alice\",\"text\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u007f\\u2028\\u2029"
                + " ü 😀\"}");
    assertThat(DirectMessages.json("bob", "")).isEqualTo("{\"from\":\"bob\",\"text\":\"\"}");
  }
}
