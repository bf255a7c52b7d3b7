package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.samples.ChatIdentityTest.Side;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.RedisServer;
import org.ssekit.testkit.ThreadChecks;

/**
 * Two demo nodes on one real {@code redis-server} (A on Jetty, B on Tomcat), started with {@code
 * --redis} and one {@code --session-secret-file}, as behind a balancer, over real HTTP through both
 * paths: a login on A streams and sends on B; a logout on A ends the user's streams on B and
 * revokes the cookie on both; a fresh login works on both. A node with a key of its own refuses the
 * others' cookies. While Redis is down a logout is {@code 503} with {@code Retry-After} and changes
 * nothing, a stream with a session gets a {@code retry:}, and once Redis is back the logout
 * completes on both nodes.
 */
@ExtendWith(RedisServer.Required.class)
class SharedSessionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TEXT_UTF8 = "text/plain; charset=UTF-8";

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private RedisServer redis;
  private ChatServer a;
  private ChatServer b;

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable each : closing) {
      each.close();
    }
    if (redis != null) {
      redis.close();
    }
    await().atMost(WAIT).until(() -> ThreadChecks.ssekitThreads().isEmpty());
  }

  private ChatOptions sharedOptions() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path key = Files.write(dir.resolve("session.key"), secret);
    return ChatOptions.defaults()
        .withPort(0)
        .withRedis(redis.uri())
        .withSessionSecretFile(key)
        .withKeepAlive(Duration.ofSeconds(1));
  }

  private ChatServer start(ChatOptions options) throws Exception {
    ChatServer server = ChatServer.start(options);
    closing.add(0, server); // closed after the clients, which are added later
    return server;
  }

  private void startTwoNodes() throws Exception {
    redis = RedisServer.start();
    ChatOptions options = sharedOptions();
    a = start(options);
    b = start(options.withServer(ServerKind.TOMCAT));
  }

  private HttpResponse<String> send(
      ChatServer server, String method, String path, String body, String cookie) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(path))
            .timeout(WAIT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", TEXT_UTF8);
    }
    if (method.equals("GET")) {
      request.header("Accept", "text/event-stream");
    }
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    // Bounded to the end of the body: a stream that should have been refused fails, not hangs.
    return http.sendAsync(
            request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Logs {@code name} in on {@code server} and returns the cookie to send. */
  private String login(ChatServer server, Side side, String name) throws Exception {
    HttpResponse<String> response = send(server, "POST", side.root + "/login", name, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpSseClient stream(ChatServer server, String path, String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(path)).header("Accept", "text/event-stream");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpSseClient client = HttpSseClient.get(http, request.build());
    closing.add(0, client);
    return client;
  }

  /** Opens {@code name}'s inbox on {@code server} and waits until it is subscribed there. */
  private HttpSseClient inbox(ChatServer server, Side side, String name, String cookie)
      throws Exception {
    String topic = ChatAuthorizer.inboxTopic(name);
    int before = server.hub().subscriberCount(topic);
    HttpSseClient client = stream(server, side.base + "/inbox", cookie);
    assertThat(client.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.hub().subscriberCount(topic) > before);
    return client;
  }

  private HttpResponse<String> dm(
      ChatServer server, Side side, String cookie, String to, String text) throws Exception {
    return send(server, "POST", side.base + "/dm?to=" + to, text, cookie);
  }

  private static void assertUnauthenticated(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains(ChatSessions.CHALLENGE);
    assertThat(response.body()).isEqualTo("log in first: POST /login\n");
  }

  @ParameterizedTest
  @EnumSource(Side.class)
  void aLoginOnOneNodeStreamsOnTheOtherAndALogoutThereEndsItEverywhere(Side side) throws Exception {
    startTwoNodes();
    String alice = login(a, side, "alice");
    String bob = login(b, side, "bob");
    HttpSseClient onB = inbox(b, side, "alice", alice);
    HttpSseClient roomsOnA = stream(a, side.base + "/events?room=lobby&inbox=1", alice);
    assertThat(roomsOnA.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
    HttpSseClient bobsOnA = inbox(a, side, "bob", bob);

    // bob, logged in on B, sends on B; alice's stream on B, of her login on A, gets it.
    HttpResponse<String> sent = dm(b, side, bob, "alice", "hi from B");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String id = sent.body().strip();
    assertThat(onB.poll(WAIT))
        .isEqualTo(new ReceivedEvent("dm", "{\"from\":\"bob\",\"text\":\"hi from B\"}", id));
    assertThat(roomsOnA.poll(WAIT).lastEventId()).isNotNull();
    HttpResponse<String> fromAlice = dm(a, side, alice, "bob", "hi from A");
    assertThat(fromAlice.statusCode()).as(fromAlice.body()).isEqualTo(202);
    assertThat(bobsOnA.poll(WAIT).data()).isEqualTo("{\"from\":\"alice\",\"text\":\"hi from A\"}");

    HttpResponse<String> out = send(a, "POST", side.root + "/logout", "", alice);

    assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("chat_session=; Max-Age=0");
    for (HttpSseClient ended : List.of(onB, roomsOnA)) {
      assertThat(ended.pollRetry(WAIT)).isNotNull();
      ended.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (ChatServer node : List.of(a, b)) {
      assertUnauthenticated(send(node, "GET", side.base + "/inbox", null, alice));
      assertUnauthenticated(
          send(node, "GET", side.base + "/events?room=lobby&inbox=1", null, alice));
      assertUnauthenticated(dm(node, side, alice, "bob", "after logout"));
    }
    // bob's session, issued by B, was not touched and works on A.
    assertThat(bobsOnA.ended()).isNotDone();
    assertThat(dm(a, side, bob, "carol", "still here").statusCode()).isEqualTo(202);

    // A fresh login, on B this time, works on both nodes.
    String again = login(b, side, "alice");
    HttpSseClient backOnA = inbox(a, side, "alice", again);
    HttpSseClient backOnB = inbox(b, side, "alice", again);
    HttpResponse<String> welcome = dm(a, side, bob, "alice", "welcome back");
    assertThat(welcome.statusCode()).isEqualTo(202);
    for (HttpSseClient back : List.of(backOnA, backOnB)) {
      assertThat(back.poll(WAIT).lastEventId()).isEqualTo(welcome.body().strip());
    }
    assertThat(dm(b, side, again, "bob", "back").statusCode()).isEqualTo(202);
  }

  @Test
  void aNodeWithAKeyOfItsOwnRefusesTheOthersCookiesAndTheyRefuseItsOwn() throws Exception {
    startTwoNodes();
    ChatServer alone =
        start(ChatOptions.defaults().withPort(0).withRedis(redis.uri()).withKeepAlive(WAIT));
    String fromA = login(a, Side.SERVLET, "alice");
    String fromAlone = login(alone, Side.JAXRS, "bob");

    assertUnauthenticated(send(alone, "GET", "/chat/inbox", null, fromA));
    assertUnauthenticated(send(alone, "GET", "/api/chat/inbox", null, fromA));
    assertUnauthenticated(dm(a, Side.SERVLET, fromAlone, "alice", "from elsewhere"));
    assertUnauthenticated(dm(b, Side.JAXRS, fromAlone, "alice", "from elsewhere"));
    assertThat(dm(b, Side.JAXRS, fromA, "bob", "shared key").statusCode()).isEqualTo(202);
  }

  @ParameterizedTest
  @EnumSource(Side.class)
  void whileRedisIsDownALogoutIs503AndChangesNothingThenCompletesOnBothNodesOnceItIsBack(Side side)
      throws Exception {
    startTwoNodes();
    String alice = login(a, side, "alice");
    HttpSseClient onB = inbox(b, side, "alice", alice);
    redis.stop();

    HttpResponse<String> refused = send(a, "POST", side.root + "/logout", "", alice);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).contains("5");
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(refused.body()).startsWith("cannot check the session now: sessions unavailable");
    assertThat(onB.ended()).isNotDone();
    HttpResponse<String> login = send(b, "POST", side.root + "/login", "carol", null);
    assertThat(login.statusCode()).isEqualTo(503);
    assertThat(login.headers().firstValue("Retry-After")).contains("5");
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
    HttpResponse<String> dm = dm(b, side, alice, "bob", "while down");
    assertThat(dm.statusCode()).isEqualTo(503);
    assertThat(dm.headers().firstValue("Retry-After")).contains("5");
    // A stream with a session is told to come back (a 503 would close a browser's EventSource).
    for (String path : List.of(side.base + "/inbox", side.base + "/events?room=lobby")) {
      HttpSseClient retry = stream(b, path, alice);
      assertThat(retry.awaitHeaders(WAIT).statusCode()).as(path).isEqualTo(200);
      assertThat(retry.pollRetry(WAIT)).as(path).isBetween(1_000L, 10_000L);
      retry.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    redis.restart(); // empty, as after a restart without persistence
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> send(a, "POST", side.root + "/logout", "", alice).statusCode() == 204);

    assertThat(onB.pollRetry(WAIT)).isNotNull();
    onB.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertUnauthenticated(send(b, "GET", side.base + "/inbox", null, alice));
    assertUnauthenticated(dm(a, side, alice, "bob", "after logout"));
  }
}
