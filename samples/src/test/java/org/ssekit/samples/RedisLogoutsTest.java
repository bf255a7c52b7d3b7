package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.testkit.RedisServer;

/**
 * The logouts that demo nodes share through a real {@code redis-server}, as units: two instances
 * are two nodes. A login on one node right after a logout on another is issued after it (in the
 * same millisecond too), a logout revokes a login of a node whose clock runs ahead, a logout is
 * kept for one session lifetime plus the margin, and while Redis is down every call is a {@code
 * 503} with {@code Retry-After}.
 */
@ExtendWith(RedisServer.Required.class)
class RedisLogoutsTest {
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final List<AutoCloseable> closing = new ArrayList<>();
  private RedisServer redis;

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable each : closing) {
      each.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private RedisLogouts node() {
    RedisLogouts logouts =
        RedisLogouts.connect(redis.uri(), "test:", LIFETIME, TIMEOUT, RETRY_AFTER);
    closing.add(logouts);
    return logouts;
  }

  private static String value(String setCookie) {
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  @Test
  void aLoginOnOneNodeRightAfterALogoutOnAnotherIsIssuedAfterItEvenInItsMillisecond()
      throws Exception {
    redis = RedisServer.start();
    RedisLogouts a = node();
    RedisLogouts b = node();
    long previous = -1;
    // Hundreds of round trips of well under a millisecond each: many fall in one millisecond.
    for (int i = 0; i < 500; i++) {
      long loggedOut = (i % 2 == 0 ? a : b).logOut("alice");
      long issued = (i % 2 == 0 ? b : a).issueMillis("alice");

      assertThat(loggedOut).isGreaterThan(previous);
      assertThat(a.lastLogoutMillis("alice")).isEqualTo(loggedOut);
      assertThat(b.lastLogoutMillis("alice")).isEqualTo(loggedOut);
      assertThat(issued).isGreaterThan(loggedOut);
      previous = loggedOut;
    }
    assertThat(a.lastLogoutMillis("bob")).isEqualTo(-1);
  }

  @Test
  void aLogoutOnANodeWhoseClockIsBehindRevokesALoginOfANodeAheadAndNotTheNextLogin()
      throws Exception {
    redis = RedisServer.start();
    SessionKey key = SessionKey.random();
    Clock ahead = Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofSeconds(5));
    Clock behind = Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofSeconds(-5));
    ChatSessions onAhead = new ChatSessions(key, node(), LIFETIME, false, ahead);
    ChatSessions onBehind = new ChatSessions(key, node(), LIFETIME, false, behind);

    String first = value(onAhead.login("alice"));
    onBehind.logout(onBehind.verify(first).orElseThrow());
    String second = value(onBehind.login("alice"));

    assertThat(onAhead.verify(first)).isEmpty();
    assertThat(onBehind.verify(first)).isEmpty();
    assertThat(onAhead.verify(second).map(ChatSessions.Session::name)).contains("alice");
    assertThat(onBehind.verify(second)).isPresent();

    onAhead.logout(onAhead.verify(second).orElseThrow());
    String third = value(onAhead.login("alice"));
    assertThat(onBehind.verify(second)).isEmpty();
    assertThat(onBehind.verify(third)).isPresent();
  }

  @Test
  void aLogoutIsKeptForOneSessionLifetimePlusTheMarginAndNoLonger() throws Exception {
    redis = RedisServer.start();
    node().logOut("alice");
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      long ttlMillis = connection.sync().pttl("test:logout:alice");
      long kept = LIFETIME.plus(RedisLogouts.SKEW_MARGIN).toMillis();
      assertThat(ttlMillis).isBetween(kept - 5_000, kept + 1_000);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void whileRedisIsDownEveryCallIs503WithRetryAfterAndTheNodeRecoversByItself() throws Exception {
    redis = RedisServer.start();
    RedisLogouts a = node();
    long loggedOut = a.logOut("alice");
    redis.stop();

    for (Runnable call :
        List.<Runnable>of(
            () -> a.logOut("alice"),
            () -> a.issueMillis("alice"),
            () -> a.lastLogoutMillis("alice"))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              ChatRequestException.class,
              refused -> {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.retryAfterSeconds()).isEqualTo(5);
              })
          .hasMessageStartingWith("cannot ")
          .hasMessageContaining("now: sessions unavailable (Redis: ");
    }

    redis.restart(); // empty: the logout is forgotten, as Redis lost it
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> a.logOut("bob") > 0);
    assertThat(a.lastLogoutMillis("alice")).isEqualTo(-1);
    assertThat(a.issueMillis("alice")).isGreaterThan(loggedOut);
  }
}
