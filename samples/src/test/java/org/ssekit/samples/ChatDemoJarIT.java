package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;

/**
 * The packaged, runnable jar as a user starts it: {@code java -jar target/ssekit-samples.jar}, its
 * one log line, a stream through each adapter, and a clean stop on SIGTERM (the shutdown path
 * Ctrl-C takes).
 */
class ChatDemoJarIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void runsFromTheJarLogsWhereItListensAndEndsStreamsWithAJitteredRetryOnSigterm(ServerKind kind)
      throws Exception {
    try (DemoProcess demo =
        DemoProcess.start(
            DemoProcess.outputDir("jar").resolve("demo-" + kind + ".log"),
            "--port",
            "0",
            "--server",
            kind.toString(),
            "--keepalive-seconds",
            "5")) {
      assertThat(demo.output())
          .singleElement()
          .asString()
          .matches(
              "\\d\\d:\\d\\d:\\d\\d INFO .*: listening on http://127\\.0\\.0\\.1:\\d+/ \\("
                  + kind
                  + ".*");
      assertThat(demo.uri().getPort()).isPositive();
      HttpSseClient servlet =
          HttpSseClient.open(http, demo.uri().resolve("/chat/events?room=lobby"), null);
      HttpSseClient jaxrs =
          HttpSseClient.open(http, demo.uri().resolve("/api/chat/events?room=lobby"), null);
      assertThat(servlet.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
      assertThat(jaxrs.awaitHeaders(WAIT).statusCode()).isEqualTo(200);
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(demo.uri().resolve("/api/chat/messages?room=lobby"))
                  .header("Content-Type", "text/plain; charset=UTF-8")
                  .POST(HttpRequest.BodyPublishers.ofString("from the jar", StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).isEqualTo(202);
      for (HttpSseClient client : new HttpSseClient[] {servlet, jaxrs}) {
        ReceivedEvent event = client.poll(WAIT);
        assertThat(event).isNotNull();
        assertThat(event.data()).isEqualTo("from the jar");
        assertThat(event.lastEventId()).isEqualTo(posted.body().trim());
      }

      int exitCode = demo.terminate(STOP_TIMEOUT);

      for (HttpSseClient client : new HttpSseClient[] {servlet, jaxrs}) {
        assertThat(client.pollRetry(WAIT)).isNotNull().isBetween(1_000L, 10_000L);
        client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited as the signal asked.
      assertThat(exitCode).isEqualTo(143);
      assertThat(demo.output())
          .noneMatch(
              line ->
                  line.contains("SEVERE")
                      || line.contains("WARNING")
                      || line.contains("Exception"));
    }
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void aTakenPortExitsWith1AndSaysSo(ServerKind kind) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DemoProcess demo =
            DemoProcess.launch(
                DemoProcess.outputDir("jar").resolve("taken-" + kind + ".log"),
                "--port",
                Integer.toString(taken.getLocalPort()),
                "--server",
                kind.toString())) {
      assertThat(demo.awaitExit(STOP_TIMEOUT)).isEqualTo(1);
      assertThat(demo.output())
          .containsExactly(
              "cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
    }
  }

  @Test
  void badOptionsExitWith2AndExplain() throws Exception {
    for (String[] args :
        new String[][] {
          {"--port", "-1"},
          {"--server", "nginx"},
          {"--keepalive-seconds", "0"},
          {"--session-seconds", "0"},
          {"--allow-origin", "*"},
          {"--allow-origin", "http://app.example/path"},
          {"--no-such-option"}
        }) {
      try (DemoProcess demo =
          DemoProcess.launch(DemoProcess.outputDir("jar").resolve("bad-options.log"), args)) {
        assertThat(demo.awaitExit(STOP_TIMEOUT)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(String.join("\n", demo.output()))
            .as(String.join(" ", args))
            .contains("Usage: ssekit-samples");
        String reason =
            switch (args[args.length - 1]) {
              case "*" -> "allowedOrigins must list exact origins, not *";
              case "http://app.example/path" ->
                  "origin must be * or scheme://host[:port] without a path: http://app.example/path";
              default -> args[0].equals("--session-seconds") ? "--session-seconds < 1: 0" : "";
            };
        assertThat(String.join("\n", demo.output())).as(String.join(" ", args)).contains(reason);
      }
    }
  }

  @Test
  void aMissingShortOrDirectorySessionSecretFileExitsWith2AndNamesTheOptionAndTheRule()
      throws Exception {
    Path dir = Files.createDirectories(DemoProcess.outputDir("jar").resolve("secrets"));
    Path missing = dir.resolve("missing.key");
    Files.deleteIfExists(missing);
    Path shortFile = Files.write(dir.resolve("short.key"), new byte[31]);
    Map<Path, String> reasons =
        Map.of(
            missing,
            "--session-secret-file names no file: " + missing + " (a file of 32-4096 bytes of key)",
            shortFile,
            "--session-secret-file must hold at least 32 bytes of key: " + shortFile + " has 31",
            dir,
            "--session-secret-file is a directory: " + dir + " (a file of 32-4096 bytes of key)");
    for (Map.Entry<Path, String> bad : reasons.entrySet()) {
      try (DemoProcess demo =
          DemoProcess.launch(
              DemoProcess.outputDir("jar").resolve("bad-secret.log"),
              "--port",
              "0",
              "--session-secret-file",
              bad.getKey().toString())) {
        assertThat(demo.awaitExit(STOP_TIMEOUT)).as(bad.getValue()).isEqualTo(2);
        assertThat(String.join("\n", demo.output()))
            .as(bad.getValue())
            .contains(bad.getValue(), "Usage: ssekit-samples", "--session-secret-file=PATH");
      }
    }
  }

  @Test
  void helpListsEveryOption() throws Exception {
    try (DemoProcess demo =
        DemoProcess.launch(DemoProcess.outputDir("jar").resolve("help.log"), "--help")) {
      assertThat(demo.awaitExit(STOP_TIMEOUT)).isZero();
      assertThat(String.join("\n", demo.output()))
          .contains(
              "--port",
              "--keepalive-seconds",
              "--server",
              "jetty|tomcat",
              "--test-hooks",
              "--host",
              "--redis",
              "--tls",
              "--session-seconds",
              "--session-secret-file",
              "--allow-origin");
    }
  }
}
