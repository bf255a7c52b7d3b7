package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.ssekit.testkit.HeadlessChromium;
import org.ssekit.testkit.RedisServer;
import org.ssekit.testkit.TempDirectory;

/**
 * Issue 20 in a real browser: a demo node with {@code --redis}, two pages in one room (servlet and
 * JAX-RS), and Redis stopped for 5 s while the pages reconnect. Their reconnects are refused (the
 * replay cannot be looked up) with a jittered {@code retry:}, so the pages never go {@code CLOSED};
 * once Redis is back they are {@code OPEN} again and show every message accepted after recovery,
 * without a reload: exactly once, replayed, when Redis kept its data; after the gap notice when it
 * restarted empty (the page is told that it missed messages, then receives the new ones live).
 * Meanwhile every {@code 503} of a publication says when to come back ({@code Retry-After}).
 */
@ExtendWith(RedisServer.Required.class)
class RedisOutageBrowserIT {
  private static final Duration OUTAGE = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Path output = DemoProcess.outputDir("browser-outage");
  private RedisServer redis;
  private DemoProcess demo;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;

  /**
   * Each container with a Redis that keeps its data and with one restarted empty; the default
   * verify runs Jetty with the first and Tomcat with the second ({@link BrowserServers}).
   */
  static Stream<Arguments> cases() {
    return Stream.concat(
        BrowserServers.jetty().map(kind -> Arguments.of(kind, true)),
        BrowserServers.tomcat().map(kind -> Arguments.of(kind, false)));
  }

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      if (driver != null) {
        driver.quit();
        service.stop();
        TempDirectory.deleteRecursively(profile);
      }
    } finally {
      if (demo != null) {
        demo.close();
      }
      if (redis != null) {
        redis.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}, Redis keeps its data: {1}")
  @MethodSource("cases")
  void pagesRefusedDuringARedisOutageComeBackOpenAndShowEveryMessageAfterRecovery(
      ServerKind kind, boolean keepsData) throws Exception {
    redis = RedisServer.start();
    demo =
        DemoProcess.start(
            output.resolve("demo-" + kind + "-" + keepsData + ".log"),
            "--port",
            "0",
            "--server",
            kind.toString(),
            "--test-hooks",
            "--redis",
            redis.uri());
    String room = "outage-" + kind + "-" + keepsData;
    List<String> pages = openTwoPages(demo.uri(), room);
    String before = publish("/chat/messages?room=" + room, "before the outage");
    for (String page : pages) {
      poll().until(() -> messages(page).size() == 1);
      script(
          page,
          "window.errors = 0; window.chat.source.addEventListener('error', () => window.errors++);");
    }

    if (keepsData) {
      save(redis.port());
    }
    long outageStart = System.nanoTime();
    redis.stop();
    for (String path : List.of("/chat/messages", "/api/chat/messages")) {
      HttpResponse<String> refused = post(path + "?room=" + room, "while down");
      assertThat(refused.statusCode()).as(path).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).as(path).hasValue("5");
      assertThat(refused.body()).as(path).startsWith("rooms unavailable: redis unreachable");
    }
    // The pages lose their streams and reconnect while Redis is down: each reconnect is refused.
    assertThat(post("/admin/drop?room=" + room, "").statusCode()).isEqualTo(200);
    for (String page : pages) {
      poll().until(() -> ((Number) script(page, "return window.errors")).intValue() >= 2);
    }
    Duration left = OUTAGE.minusNanos(System.nanoTime() - outageStart);
    if (!left.isNegative()) {
      await()
          .during(left)
          .atMost(left.plusSeconds(5))
          .pollInSameThread()
          .until(() -> pages.stream().noneMatch(page -> state(page).equals("closed")));
    }
    redis.restart();
    if (!keepsData) {
      // Nothing before the restart is known: a page learns of the gap once it is back, and then
      // receives live what is accepted from there on (UnknownIdPolicy.NOTIFY_THEN_LIVE).
      for (String page : pages) {
        poll().until(() -> state(page).equals("open"));
        assertThat(notices(page)).contains("Some messages were missed (unknown-last-event-id).");
      }
    }

    String after1 = publishOnceReachable("/chat/messages?room=" + room, "after recovery (servlet)");
    String after2 = publish("/api/chat/messages?room=" + room, "after recovery (JAX-RS)");
    for (String page : pages) {
      poll().until(() -> state(page).equals("open") && messages(page).size() >= 3);
      assertThat(script(page, "return window.chat.source.readyState")).isEqualTo(1L);
      assertThat(messages(page))
          .containsExactly(
              List.of(before, "before the outage"),
              List.of(after1, "after recovery (servlet)"),
              List.of(after2, "after recovery (JAX-RS)"));
      assertThat(state(page)).isNotEqualTo("closed");
      List<String> notices = notices(page);
      if (keepsData) {
        assertThat(notices).noneMatch(n -> n.startsWith("Some messages were missed"));
      } else {
        assertThat(notices).contains("Some messages were missed (unknown-last-event-id).");
      }
      assertThat(notices).noneMatch(n -> n.startsWith("Stream closed"));
    }
  }

  private List<String> openTwoPages(URI base, String room) throws Exception {
    profile = Files.createTempDirectory("ssekit-chromium-");
    service = HeadlessChromium.startDriverService(output.resolve("chromedriver.log"));
    driver = HeadlessChromium.open(service, profile);
    driver.get(base.resolve("/?room=" + room).toString());
    String a = driver.getWindowHandle();
    driver.switchTo().newWindow(WindowType.WINDOW);
    driver.get(base.resolve("/?room=" + room + "&via=jaxrs").toString());
    String b = driver.getWindowHandle();
    for (String page : List.of(a, b)) {
      poll().until(() -> state(page).equals("open"));
    }
    return List.of(a, b);
  }

  private static ConditionFactory poll() {
    return await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100));
  }

  private Object script(String page, String script) {
    driver.switchTo().window(page);
    return driver.executeScript(script);
  }

  private String state(String page) {
    driver.switchTo().window(page);
    return driver.findElement(By.id("state")).getDomAttribute("data-state");
  }

  @SuppressWarnings("unchecked")
  private List<List<String>> messages(String page) {
    return (List<List<String>>)
        script(
            page,
            "return [...document.querySelectorAll('#messages .message')]"
                + ".map(m => [m.dataset.id, m.querySelector('.text').textContent]);");
  }

  @SuppressWarnings("unchecked")
  private List<String> notices(String page) {
    return (List<String>)
        script(
            page,
            "return [...document.querySelectorAll('#messages .notice')].map(n => n.textContent);");
  }

  private HttpResponse<String> post(String path, String text) throws Exception {
    return http.send(
        HttpRequest.newBuilder(demo.uri().resolve(path))
            .header("Content-Type", "text/plain; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String publish(String path, String text) throws Exception {
    HttpResponse<String> response = post(path, text);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body().trim();
  }

  /** Publishes once the node reached Redis again; each 503 before says when to come back. */
  private String publishOnceReachable(String path, String text) {
    List<String> id = new ArrayList<>();
    poll()
        .until(
            () -> {
              HttpResponse<String> response = post(path, text);
              if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
                return false;
              }
              assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
              id.add(response.body().trim());
              return true;
            });
    return id.get(0);
  }

  /** Makes Redis write its data to disk, from where the restarted server loads it. */
  private static void save(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(5);
      assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
    }
  }
}
