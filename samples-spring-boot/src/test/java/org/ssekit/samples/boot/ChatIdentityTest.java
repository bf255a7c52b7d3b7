package org.ssekit.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.samples.boot.ChatApiTest.assertRefused;
import static org.ssekit.samples.boot.ChatHttp.WAIT;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * Logins through Spring Security, direct messages, logout and presence, over real HTTP on an
 * ephemeral port: the samples demo's identity API on Spring Boot.
 */
@AutoConfigureObservability // Boot's tests leave metrics out otherwise: /actuator/prometheus
@SpringBootTest(
    classes = ChatApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ssekit.keep-alive=200ms")
class ChatIdentityTest {
  private static final String CHALLENGE = "Session realm=\"chat\", login=\"/login\"";

  @LocalServerPort int port;
  @Autowired SseHub hub;

  private final List<RawSseClient> streams = new ArrayList<>();

  @AfterEach
  void noStreamIsLeftOpen() {
    streams.forEach(RawSseClient::close);
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(hub.stats().subscribers()).isZero());
  }

  private ChatHttp user(String name) throws Exception {
    ChatHttp user = new ChatHttp(port, hub);
    if (name != null) {
      user.login(name);
    }
    return user;
  }

  private RawSseClient open(ChatHttp user, String target) throws Exception {
    RawSseClient stream = user.open(target);
    streams.add(stream);
    return stream;
  }

  @Test
  void aLoginIsASpringSecuritySessionCookieThatIsHttpOnlyAndSameSiteLax() throws Exception {
    HttpResponse<String> login = user(null).login("  alice \n");

    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("chat_session=").contains("HttpOnly", "SameSite=Lax");
    assertThat(login.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void badNamesAreRefusedWithTheSamplesReasons() throws Exception {
    ChatHttp anyone = user(null);
    assertRefused(
        anyone.post("/login", "a b"), 400, "name must be 1-32 chars of [A-Za-z0-9_-]: a b");
    assertRefused(anyone.post("/login", "  "), 400, "missing name");
    assertRefused(
        anyone.post("/login", "x".repeat(33)),
        400,
        "name must be 1-32 chars of [A-Za-z0-9_-]: " + "x".repeat(33));
    assertRefused(
        anyone.post("/login", "bob", Map.of("Content-Type", "application/x-www-form-urlencoded")),
        415,
        "content type must be text/plain: application/x-www-form-urlencoded");
    assertThat(anyone.cookie()).isNull();
  }

  @Test
  void theInboxAndDmsNeedALogin() throws Exception {
    ChatHttp anyone = user(null);
    for (String target :
        List.of("/chat/inbox", "/chat/events?room=lobby&inbox=1", "/api/chat/inbox")) {
      RawSseClient refused = anyone.refused(target);
      assertThat(refused.status()).as(target).isEqualTo(401);
      assertThat(refused.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
      assertThat(refused.body()).isEqualTo("log in first: POST /login\n");
    }
    HttpResponse<String> dm = anyone.post("/chat/dm?to=bob", "hi");
    assertRefused(dm, 401, "log in first: POST /login");
    assertThat(dm.headers().firstValue("WWW-Authenticate")).hasValue(CHALLENGE);
    // A forged cookie is no login.
    HttpResponse<String> forged =
        anyone.post("/chat/dm?to=bob", "hi", Map.of("Cookie", "chat_session=0123456789ABCDEF"));
    assertThat(forged.statusCode()).isEqualTo(401);
  }

  @Test
  void aDmReachesItsRecipientOnlyAsEscapedJson() throws Exception {
    ChatHttp alice = user("alice");
    ChatHttp bob = user("bob");
    ChatHttp carol = user("carol");
    RawSseClient bobsInbox = open(bob, "/chat/inbox");
    RawSseClient bobsRoomsAndInbox = open(bob, "/api/chat/events?room=dms&inbox=1");
    RawSseClient carolsInbox = open(carol, "/chat/events?room=dms&inbox=1");
    String carolsFirst = alice.dm("carol", "first");
    assertThat(carolsInbox.poll(WAIT)).isEqualTo(dm("alice", "first", carolsFirst));

    String id = alice.dm("bob", "hi \"bob\"\nonly for you");

    ReceivedEvent escaped =
        new ReceivedEvent(
            "dm", "{\"from\":\"alice\",\"text\":\"hi \\\"bob\\\"\\nonly for you\"}", id);
    assertThat(bobsInbox.poll(WAIT)).isEqualTo(escaped);
    assertThat(bobsRoomsAndInbox.poll(WAIT)).isEqualTo(escaped);
    String toAlice = carol.dm("alice", "for alice");
    assertThat(carolsInbox.poll(Duration.ofMillis(500))).as("carol's inbox").isNull();
    assertThat(bobsInbox.poll(Duration.ofMillis(100))).as(toAlice).isNull();
    // Replayed from before bob's DM, carol's inbox still holds none of the others' messages.
    RawSseClient replay = carol.open("/chat/inbox", Map.of("Last-Event-ID", carolsFirst));
    streams.add(replay);
    assertThat(replay.poll(Duration.ofMillis(500))).as("carol's replay").isNull();
    assertThat(replay.pendingEvents()).isZero();
  }

  private static ReceivedEvent dm(String from, String text, String id) {
    return new ReceivedEvent("dm", "{\"from\":\"" + from + "\",\"text\":\"" + text + "\"}", id);
  }

  @Test
  void aLogoutEndsEverySessionAndStreamOfTheUserAndNoOneElses() throws Exception {
    ChatHttp bob = user("bob");
    ChatHttp bobElsewhere = user("bob");
    ChatHttp alice = user("alice");
    RawSseClient bobs = open(bob, "/chat/events?room=lobby&inbox=1");
    RawSseClient bobsOther = open(bobElsewhere, "/api/chat/inbox");
    RawSseClient alices = open(alice, "/chat/inbox");

    HttpResponse<String> logout = bob.post("/logout", "");

    assertThat(logout.statusCode()).isEqualTo(204);
    assertThat(logout.headers().allValues("Set-Cookie"))
        .anySatisfy(
            cookie -> assertThat(cookie).startsWith("chat_session=;").contains("Max-Age=0"));
    for (RawSseClient ended : List.of(bobs, bobsOther)) {
      assertThat(ended.awaitEnd(WAIT)).isTrue();
      assertThat(ended.body()).contains("retry:");
    }
    assertThat(bob.refused("/chat/inbox").status()).as("the logged-out cookie").isEqualTo(401);
    RawSseClient other = bobElsewhere.refused("/chat/inbox");
    assertThat(other.status()).as("bob's other session").isEqualTo(401);
    assertThat(other.body()).isEqualTo("session ended by a logout: log in again\n");
    assertThat(alices.awaitEnd(Duration.ofMillis(300))).as("alice's stream").isFalse();
    assertThat(bob.post("/chat/dm?to=alice", "after").statusCode()).isEqualTo(401);
  }

  @Test
  void presenceFollowsWhoComesAndGoesAndTheMembersEndpointAgrees() throws Exception {
    ChatHttp alice = user("alice");
    ChatHttp bob = user("bob");
    ChatHttp anyone = user(null);
    RawSseClient alices = open(alice, "/chat/events?room=here&presence=1");
    assertThat(alices.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"join\":\"alice\"}", ""));
    RawSseClient watcher = open(anyone, "/chat/events?room=here&presence=1");
    assertThat(watcher.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"join\":\"alice\"}", ""));
    RawSseClient bobs = open(bob, "/api/chat/events?room=here&room=there&presence=1");

    assertThat(alices.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"join\":\"bob\"}", ""));
    assertThat(members(anyone, "here")).isEqualTo("[\"alice\",\"bob\"]");
    assertThat(members(anyone, "there")).isEqualTo("[\"bob\"]");

    bobs.close();
    assertThat(alices.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"leave\":\"bob\"}", ""));
    assertThat(watcher.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"join\":\"bob\"}", ""));
    assertThat(watcher.poll(WAIT))
        .isEqualTo(new ReceivedEvent("presence", "{\"leave\":\"bob\"}", ""));
    assertThat(members(anyone, "here")).isEqualTo("[\"alice\"]");
  }

  @Test
  void oneStreamCarriesSeveralRoomsTheInboxAndPresence() throws Exception {
    ChatHttp alice = user("alice");
    ChatHttp bob = user("bob");
    RawSseClient alices = open(alice, "/chat/events?room=one&room=two&inbox=1&presence=1");
    assertThat(List.of(alices.poll(WAIT).data(), alices.poll(WAIT).data()))
        .containsExactlyInAnyOrder(
            "{\"join\":\"alice\",\"topic\":\"rooms/one\"}",
            "{\"join\":\"alice\",\"topic\":\"rooms/two\"}");

    String one = bob.say("one", "in one").headers().firstValue("Multi-Room-Event-Id").orElseThrow();
    String dm = bob.dm("alice", "psst");
    String two = bob.say("two", "in two").headers().firstValue("Multi-Room-Event-Id").orElseThrow();

    assertThat(alices.poll(WAIT)).isEqualTo(new ReceivedEvent("one", "in one", one));
    assertThat(alices.poll(WAIT))
        .isEqualTo(new ReceivedEvent("dm", "{\"from\":\"bob\",\"text\":\"psst\"}", dm));
    assertThat(alices.poll(WAIT)).isEqualTo(new ReceivedEvent("two", "in two", two));
    assertThat(hub.stats().subscribers()).isEqualTo(1);
  }

  @Test
  void postsFromAnotherOriginAreRefusedAndOnesFromThisOriginPass() throws Exception {
    ChatHttp alice = user("alice");
    Map<String, String> evil = Map.of("Origin", "http://evil.example");
    HttpResponse<String> dm = alice.post("/chat/dm?to=bob", "hi", evil);
    assertRefused(
        dm,
        403,
        "cross-origin POST refused: Origin http://evil.example is not http://127.0.0.1:" + port);
    HttpResponse<String> sameSite =
        alice.post("/logout", "", Map.of("Origin", "http://127.0.0.1:" + (port + 1)));
    assertThat(sameSite.statusCode()).as("another port of the same site").isEqualTo(403);
    assertThat(alice.delete("/chat/rooms/lobby", evil).statusCode()).isEqualTo(403);
    assertThat(
            alice
                .post("/chat/dm?to=bob", "hi", Map.of("Origin", "http://127.0.0.1:" + port))
                .statusCode())
        .isEqualTo(202);
    RawSseClient stillIn = open(alice, "/chat/inbox");
    assertThat(stillIn.awaitEnd(Duration.ofMillis(200))).as("the refused logout").isFalse();
  }

  private static String members(ChatHttp user, String room) throws Exception {
    HttpResponse<String> answer = user.get("/chat/rooms/" + room + "/members");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
    return answer.body();
  }
}
