package org.ssekit.jpms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * The application module {@code org.ssekit.jpms} on the module path, on Jersey 4.0 and on RESTEasy
 * 7.0 in Jetty 12.1 ee11: it runs as named modules, streams, resumes and refuses over HTTP, and
 * writes its streams on the servlet write path.
 */
class ModulePathTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private ModulePathServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(ModulePathServer.Implementation.class)
  void runsAsNamedModules(ModulePathServer.Implementation implementation) throws Exception {
    server = ModulePathServer.start(implementation);
    assertThat(report())
        .as("where the classes run, on %s", implementation)
        .containsEntry("ssekit-jaxrs", "org.ssekit.jaxrs")
        .containsEntry("resource", "org.ssekit.jpms")
        .containsEntry("jaxrs-api", "jakarta.ws.rs")
        .containsEntry(
            "implementation",
            implementation == ModulePathServer.Implementation.JERSEY
                ? "org.glassfish.jersey.core.common"
                : "resteasy.core")
        .containsEntry("ssekit-servlet", "true");
    Response fields = request("GET", "/api/fields", null);
    assertThat(fields.status()).as(fields.body()).isEqualTo(200);
    // RESTEasy's UriInfo.getPath() starts with "/", Jersey's does not.
    assertThat(fields.body()).as("through the injected field").isIn("fields", "/fields");
  }

  @ParameterizedTest
  @EnumSource(ModulePathServer.Implementation.class)
  void streamsResumesAndRefuses(ModulePathServer.Implementation implementation) throws Exception {
    server = ModulePathServer.start(implementation);
    String first;
    String second;
    try (RawSseClient live = RawSseClient.get(server.port(), "/api/news")) {
      assertThat(live.awaitHeaders(TIMEOUT)).isTrue();
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
      assertThat(live.header("Cache-Control")).isEqualTo("no-cache");
      awaitSubscribed();
      first = publish("one");
      second = publish("two");
      assertThat(live.poll(TIMEOUT)).isEqualTo(new ReceivedEvent("message", "one", first));
      assertThat(live.poll(TIMEOUT)).isEqualTo(new ReceivedEvent("message", "two", second));
      // Written by sse-servlet's non-blocking writer: the blocking send pool (whose threads live
      // two seconds after a send) never started.
      assertThat(report()).as("servlet write path").containsEntry("send-threads", "0");
    }

    try (RawSseClient resumed =
        RawSseClient.get(server.port(), "/api/news", Map.of("Last-Event-ID", first))) {
      assertThat(resumed.poll(TIMEOUT))
          .as("replayed after " + first)
          .isEqualTo(new ReceivedEvent("message", "two", second));
    }

    try (RawSseClient closedTopic = RawSseClient.get(server.port(), "/api/archive")) {
      assertThat(closedTopic.awaitEnd(TIMEOUT)).isTrue();
      assertThat(closedTopic.status()).as("closed topic").isEqualTo(204);
    }
    Response wildcard = request("GET", "/api/rooms/a*", null);
    assertThat(wildcard.status()).isEqualTo(400);
    assertThat(wildcard.body()).contains("*");
    assertThat(server.output()).doesNotContain("Exception", "SEVERE");
  }

  /** Waits until the news topic has a subscriber on the server's hub. */
  private void awaitSubscribed() {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(report()).containsEntry("news-subscribers", "1"));
  }

  private Map<String, String> report() throws IOException {
    Response response = request("GET", "/api/modules", null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<String, String> report = new LinkedHashMap<>();
    for (String line : response.body().split("\n")) {
      int equals = line.indexOf('=');
      report.put(line.substring(0, equals), line.substring(equals + 1));
    }
    return report;
  }

  private String publish(String data) throws IOException {
    Response response = request("POST", "/api/news", data);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private record Response(int status, String body) {}

  /** Sends a request (a text body if not null) and reads the whole response. */
  private Response request(String method, String path, String body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + path).openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout((int) TIMEOUT.toMillis());
    connection.setReadTimeout((int) TIMEOUT.toMillis());
    if (body != null) {
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "text/plain");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = connection.getResponseCode();
    InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    connection.disconnect();
    return new Response(status, text);
  }
}
