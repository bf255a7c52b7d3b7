package org.ssekit.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.ssekit.SseHub;
import org.ssekit.testkit.RawSseClient;

/**
 * The chat's HTTP API as the tests use it, over real HTTP on the application's port: one instance
 * per user, holding that user's session cookie (none until {@link #login}).
 */
final class ChatHttp {
  static final Duration WAIT = Duration.ofSeconds(5);

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;
  private final SseHub hub;
  private String cookie;

  ChatHttp(int port, SseHub hub) {
    this.port = port;
    this.hub = hub;
  }

  /** Returns the {@code Cookie} header value of this user's session, or null before a login. */
  String cookie() {
    return cookie;
  }

  /** Logs in as {@code name}: asserts {@code 204} and keeps the session cookie. */
  HttpResponse<String> login(String name) throws Exception {
    HttpResponse<String> answer = post("/login", name);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    return answer;
  }

  /** Sends a {@code text/plain} post with this user's cookie. */
  HttpResponse<String> post(String target, String body) throws Exception {
    return post(target, body, Map.of());
  }

  HttpResponse<String> post(String target, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        request(target)
            .header("Content-Type", "text/plain; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String target, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = request(target).DELETE();
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String target) throws Exception {
    return http.send(request(target).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts {@code text} to {@code room}, asserts {@code 202}, and returns the answer. */
  HttpResponse<String> say(String room, String text) throws Exception {
    HttpResponse<String> answer = post("/chat/messages?room=" + room, text);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return answer;
  }

  /** Sends a DM, asserts {@code 202}, and returns the event's id. */
  String dm(String to, String text) throws Exception {
    HttpResponse<String> answer = post("/chat/dm?to=" + to, text);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return answer.body().strip();
  }

  /** Opens a stream with this user's cookie and waits until the hub has admitted it. */
  RawSseClient open(String target) throws Exception {
    return open(target, Map.of());
  }

  RawSseClient open(String target, Map<String, String> extraHeaders) throws Exception {
    long opened = hub.stats().streamsOpened();
    Map<String, String> headers = new HashMap<>(extraHeaders);
    if (cookie != null) {
      headers.put("Cookie", cookie);
    }
    RawSseClient client = RawSseClient.get(port, target, headers);
    assertThat(client.awaitHeaders(WAIT)).as("headers of " + target).isTrue();
    assertThat(client.status()).as(target).isEqualTo(200);
    Awaitility.await().atMost(WAIT).until(() -> hub.stats().streamsOpened() > opened);
    return client;
  }

  /** Opens a request that is expected to be refused and returns it once it has ended. */
  RawSseClient refused(String target) throws Exception {
    Map<String, String> headers = cookie == null ? Map.of() : Map.of("Cookie", cookie);
    RawSseClient client = RawSseClient.get(port, target, headers);
    assertThat(client.awaitHeaders(WAIT)).as("headers of " + target).isTrue();
    assertThat(client.awaitEnd(WAIT)).as("end of " + target).isTrue();
    return client;
  }

  private HttpRequest.Builder request(String target) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(WAIT);
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return request;
  }
}
