package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.support.ui.Select;
import org.ssekit.testkit.HeadlessChromium;
import org.ssekit.testkit.TempDirectory;

/**
 * The page of the packaged demo in a real browser (Debian's headless Chromium through Selenium), on
 * Jetty and on Tomcat. Each test opens two windows of one browser in one room (or in the same two
 * rooms, over one connection each): page A streams through the servlet adapter, page B through
 * JAX-RS. A screenshot of page A is kept under {@code target/browser/} after every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** Longer than a browser's default reconnection delay (3 s), so a reconnect would be seen. */
  private static final Duration NO_RECONNECT_WINDOW = Duration.ofSeconds(4);

  private static final AtomicInteger ROOMS = new AtomicInteger();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<ServerKind, DemoProcess> demos = new EnumMap<>(ServerKind.class);
  private final Path output = DemoProcess.outputDir("browser");
  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;
  private Page pageA;

  @BeforeEach
  void requireBrowser() {
    // Per test, so that each is reported as skipped (with the reason) where no browser is
    // installed.
    HeadlessChromium.requireInstalled();
  }

  @AfterAll
  void stopDemos() throws Exception {
    for (DemoProcess demo : demos.values()) {
      demo.close();
    }
  }

  @AfterEach
  void closeBrowser(TestInfo test) throws IOException {
    if (driver == null) {
      return;
    }
    try {
      if (pageA != null) {
        pageA.focus();
        Path screenshot = driver.getScreenshotAs(OutputType.FILE).toPath();
        String name =
            test.getTestMethod().orElseThrow().getName()
                + "-"
                + test.getDisplayName().replaceAll("[^A-Za-z0-9]+", "")
                + ".png";
        Files.createDirectories(output);
        Files.copy(screenshot, output.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      driver.quit(); // also stops the driver service
      service.stop();
      driver = null;
      pageA = null;
      TempDirectory.deleteRecursively(profile);
    }
  }

  /** The demo on {@code kind}, started once per class with the test hooks. */
  private DemoProcess demo(ServerKind kind) throws Exception {
    DemoProcess demo = demos.get(kind);
    if (demo == null) {
      demo =
          DemoProcess.start(
              output.resolve("demo-" + kind + ".log"),
              "--port",
              "0",
              "--server",
              kind.toString(),
              "--test-hooks");
      demos.put(kind, demo);
    }
    return demo;
  }

  /**
   * Opens page A (servlet) and page B (JAX-RS) in a fresh room and waits until both streams are
   * open.
   */
  private Page[] openTwoPages(ServerKind kind, String room) throws Exception {
    URI base = demo(kind).uri();
    profile = Files.createTempDirectory("ssekit-chromium-");
    service = HeadlessChromium.startDriverService(output.resolve("chromedriver.log"));
    driver = HeadlessChromium.open(service, profile);
    driver.get(base.resolve("/?room=" + room).toString());
    pageA = new Page(driver.getWindowHandle());
    driver.switchTo().newWindow(WindowType.WINDOW);
    driver.get(base.resolve("/?room=" + room + "&via=jaxrs").toString());
    Page pageB = new Page(driver.getWindowHandle());
    for (Page page : List.of(pageA, pageB)) {
      poll().until(() -> page.state().equals("open"));
    }
    assertThat(pageA.text("endpoint")).isEqualTo("GET /chat/events?room=" + room);
    assertThat(pageB.text("endpoint")).isEqualTo("GET /api/chat/events?room=" + room);
    return new Page[] {pageA, pageB};
  }

  private static String newRoom(ServerKind kind) {
    return "browser-" + kind + "-" + ROOMS.incrementAndGet();
  }

  private static ConditionFactory poll() {
    return await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100));
  }

  private HttpResponse<String> post(ServerKind kind, String path, String text) throws Exception {
    return http.send(
        HttpRequest.newBuilder(demo(kind).uri().resolve(path))
            .header("Content-Type", "text/plain; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private String publish(ServerKind kind, String path, String text) throws Exception {
    HttpResponse<String> response = post(kind, path, text);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body().trim();
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#jetty")
  void twoPagesInOneRoomExchangeMessagesWithTheSameIds(ServerKind kind) throws Exception {
    Page[] pages = openTwoPages(kind, newRoom(kind));
    Page a = pages[0];
    Page b = pages[1];

    a.type("Hello from A");
    a.click("send");
    poll().until(() -> a.messages().size() == 1 && b.messages().size() == 1);
    b.type("Hi A, this is B\nzweite Zeile: Grüße, ça va? ½ ∑");
    b.press(Keys.chord(Keys.CONTROL, Keys.ENTER));
    poll().until(() -> a.messages().size() == 2 && b.messages().size() == 2);

    List<Message> seenByA = a.messages();
    assertThat(b.messages()).isEqualTo(seenByA);
    assertThat(seenByA)
        .extracting(Message::text)
        .containsExactly("Hello from A", "Hi A, this is B\nzweite Zeile: Grüße, ça va? ½ ∑");
    assertThat(seenByA.get(0).id()).isNotEqualTo(seenByA.get(1).id());
    assertThat(a.text("last-id")).isEqualTo(seenByA.get(1).id());
    assertThat(b.text("last-id")).isEqualTo(seenByA.get(1).id());
    // Each page marks the messages it sent (known by the id in the 202 answer).
    poll()
        .until(
            () -> a.mine().equals(List.of(true, false)) && b.mine().equals(List.of(false, true)));
    assertThat(a.value("text")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#tomcat")
  void afterADropThePagesReconnectWithLastEventIdAndShowWhatWasPostedMeanwhileOnce(ServerKind kind)
      throws Exception {
    String room = newRoom(kind);
    Page[] pages = openTwoPages(kind, room);
    String before = publish(kind, "/chat/messages?room=" + room, "before the drop");
    for (Page page : pages) {
      poll().until(() -> page.messages().size() == 1);
    }

    HttpResponse<String> dropped = post(kind, "/admin/drop?room=" + room, "");
    assertThat(dropped.body()).isEqualTo("dropped 2 streams of " + room + "\n");
    for (Page page : pages) {
      poll().until(() -> page.state().equals("reconnecting"));
    }
    String meanwhile1 = publish(kind, "/chat/messages?room=" + room, "posted meanwhile (servlet)");
    String meanwhile2 =
        publish(kind, "/api/chat/messages?room=" + room, "posted meanwhile (JAX-RS)");
    for (Page page : pages) {
      // Still waiting to reconnect: the two messages can only arrive by replay after Last-Event-ID.
      assertThat(page.state()).isEqualTo("reconnecting");
    }
    for (Page page : pages) {
      poll().until(() -> page.state().equals("open") && page.messages().size() >= 3);
    }
    String after = publish(kind, "/api/chat/messages?room=" + room, "live again");

    for (Page page : pages) {
      poll().until(() -> page.messages().size() >= 4);
      assertThat(page.messages())
          .containsExactly(
              new Message(before, "before the drop"),
              new Message(meanwhile1, "posted meanwhile (servlet)"),
              new Message(meanwhile2, "posted meanwhile (JAX-RS)"),
              new Message(after, "live again"));
      assertThat(page.text("last-id")).isEqualTo(after);
      assertThat(page.notices())
          .contains("Connection lost; reconnecting with Last-Event-ID: " + before);
    }
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#jetty")
  void closingTheRoomMovesThePagesToClosedWithoutAReconnectLoop(ServerKind kind) throws Exception {
    String room = newRoom(kind);
    Page[] pages = openTwoPages(kind, room);
    for (Page page : pages) {
      page.script(
          "window.errorCount = 0; window.chat.source.addEventListener('error', () => window.errorCount++);");
    }

    pages[0].click("close-room");

    for (Page page : pages) {
      poll().until(() -> page.state().equals("closed"));
      assertThat(page.script("return window.chat.source.readyState")).isEqualTo(2L);
    }
    List<Object> errorsWhenClosed = new ArrayList<>();
    for (Page page : pages) {
      errorsWhenClosed.add(page.script("return window.errorCount"));
    }
    await()
        .during(NO_RECONNECT_WINDOW)
        .atMost(NO_RECONNECT_WINDOW.plusSeconds(5))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              for (int i = 0; i < pages.length; i++) {
                Page page = pages[i];
                if (!page.state().equals("closed")
                    || !Long.valueOf(2).equals(page.script("return window.chat.source.readyState"))
                    || !errorsWhenClosed.get(i).equals(page.script("return window.errorCount"))) {
                  return false;
                }
              }
              return true;
            });
    for (Page page : pages) {
      assertThat(page.notices()).anyMatch(notice -> notice.startsWith("Stream closed"));
      assertThat(page.script("return document.getElementById('send').disabled")).isEqualTo(true);
    }
    assertThat(post(kind, "/chat/messages?room=" + room, "too late").statusCode()).isEqualTo(410);
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#tomcat")
  void aMultiLineMessageWithCrLfCrlfAndNonAsciiTextIsShownExactly(ServerKind kind)
      throws Exception {
    String room = newRoom(kind);
    Page[] pages = openTwoPages(kind, room);
    String sent =
        "first line (CR)\rsecond line (LF)\nthird line (CRLF)\r\n"
            + "Grüße aus Köln — 😀 中文 العربية ½ ∑\n    indented by four\n\nafter a blank line\n";
    // The event-stream format has one line break: CR and CRLF reach the browser as LF, as the spec
    // says.
    String expected = sent.replace("\r\n", "\n").replace('\r', '\n');

    String servletId = publish(kind, "/chat/messages?room=" + room, sent);
    String jaxrsId = publish(kind, "/api/chat/messages?room=" + room, sent);

    for (Page page : pages) {
      poll().until(() -> page.messages().size() == 2);
      assertThat(page.messages())
          .containsExactly(new Message(servletId, expected), new Message(jaxrsId, expected));
      assertThat(
              page.script(
                  "return getComputedStyle(document.querySelector('#messages .message .text')).whiteSpace"))
          .isEqualTo("pre-wrap");
      // Rendered with its line breaks: as many lines tall as the text has lines (a final line break
      // ends the last line rather than starting an empty one).
      Object lineHeights =
          page.script(
              "const e = document.querySelector('#messages .message .text');"
                  + " return e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight);");
      assertThat(((Number) lineHeights).doubleValue())
          .isGreaterThanOrEqualTo(expected.split("\n").length - 0.5);
    }
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#jetty")
  void onePageFollowsTwoRoomsOverOneEventSourceShowsEachMessagesRoomAndResumesBothAfterADrop(
      ServerKind kind) throws Exception {
    String red = newRoom(kind);
    String blue = newRoom(kind);
    String both = "room=" + red + "&room=" + blue;
    URI base = demo(kind).uri();
    profile = Files.createTempDirectory("ssekit-chromium-");
    service = HeadlessChromium.startDriverService(output.resolve("chromedriver.log"));
    driver = HeadlessChromium.open(service, profile);
    // Page A asks for both rooms in its address; page B starts in a third room, then types both.
    pageA = openCounted(base.resolve("/?" + both).toString());
    driver.switchTo().newWindow(WindowType.WINDOW);
    Page pageB = openCounted(base.resolve("/?room=" + newRoom(kind) + "&via=jaxrs").toString());
    poll().until(() -> pageB.state().equals("open"));
    pageB.fill("room", red + ", " + blue);
    pageB.click("join");
    Page[] pages = {pageA, pageB};
    for (Page page : pages) {
      poll().until(() -> page.state().equals("open") && page.text("endpoint").contains(blue));
    }
    assertThat(pageA.text("endpoint")).isEqualTo("GET /chat/events?" + both);
    assertThat(pageB.text("endpoint")).isEqualTo("GET /api/chat/events?" + both);

    // One connection per page: one live EventSource, and on the server one stream per page that
    // carries both rooms (no stream of one room).
    for (Page page : pages) {
      assertThat(page.liveEventSources()).singleElement().asString().endsWith("/events?" + both);
    }
    for (String room : List.of(red, blue)) {
      poll()
          .until(
              () -> streams(kind, room),
              text -> text.equals("streams of " + room + ": 0 one-room, 2 multi-room\n"));
    }

    String first = publishMultiRoom(kind, "/chat/messages?room=" + red, "hello red");
    String second = publishMultiRoom(kind, "/api/chat/messages?room=" + blue, "hello blue");
    pageA.select("target", blue);
    pageA.fill("text", "typed on A, to blue");
    pageA.click("send");
    for (Page page : pages) {
      poll().until(() -> page.roomMessages().size() == 3);
    }
    String third = pageA.roomMessages().get(2).id();
    for (Page page : pages) {
      assertThat(page.roomMessages())
          .containsExactly(
              new RoomMessage(first, red, "hello red"),
              new RoomMessage(second, blue, "hello blue"),
              new RoomMessage(third, blue, "typed on A, to blue"));
      assertThat(
              page.script(
                  "return document.querySelector('#messages .message .msg-room').textContent"))
          .isEqualTo("#" + red);
    }
    poll().until(() -> pageA.mine().equals(List.of(false, false, true)));

    // The server drops the connections (both rooms ride on them); both pages reconnect once, with
    // one Last-Event-ID, and get what both rooms received meanwhile, exactly once.
    HttpResponse<String> dropped = post(kind, "/admin/drop?room=" + red, "");
    assertThat(dropped.body()).isEqualTo("dropped 2 streams of " + red + "\n");
    for (Page page : pages) {
      poll().until(() -> page.state().equals("reconnecting"));
    }
    String meanwhileRed = publishMultiRoom(kind, "/api/chat/messages?room=" + red, "red meanwhile");
    String meanwhileBlue = publishMultiRoom(kind, "/chat/messages?room=" + blue, "blue meanwhile");
    for (Page page : pages) {
      assertThat(page.state()).isEqualTo("reconnecting");
    }
    for (Page page : pages) {
      poll().until(() -> page.state().equals("open") && page.roomMessages().size() >= 5);
    }
    String live = publishMultiRoom(kind, "/chat/messages?room=" + blue, "blue live");
    for (Page page : pages) {
      poll().until(() -> page.roomMessages().size() >= 6);
      assertThat(page.roomMessages())
          .containsExactly(
              new RoomMessage(first, red, "hello red"),
              new RoomMessage(second, blue, "hello blue"),
              new RoomMessage(third, blue, "typed on A, to blue"),
              new RoomMessage(meanwhileRed, red, "red meanwhile"),
              new RoomMessage(meanwhileBlue, blue, "blue meanwhile"),
              new RoomMessage(live, blue, "blue live"));
      assertThat(page.notices())
          .contains("Connection lost; reconnecting with Last-Event-ID: " + third);
      assertThat(page.liveEventSources()).hasSize(1);
    }
    // The same EventSource reconnected: page A never made another one.
    assertThat(pageA.script("return window.__eventSources.length")).isEqualTo(1L);
  }

  /**
   * Opens {@code url} in the current window with every {@code EventSource} the page creates
   * recorded in {@code window.__eventSources}, so a test can count the page's connections.
   */
  private Page openCounted(String url) {
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "(() => { const Native = window.EventSource; window.__eventSources = [];"
                + " window.EventSource = class extends Native {"
                + " constructor(...args) { super(...args); window.__eventSources.push(this); } };"
                + " })();"));
    driver.get(url);
    return new Page(driver.getWindowHandle());
  }

  private String streams(ServerKind kind, String room) throws Exception {
    return http.send(
            HttpRequest.newBuilder(demo(kind).uri().resolve("/admin/streams?room=" + room)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .body();
  }

  /** Posts and returns the id that streams of several rooms see for the message. */
  private String publishMultiRoom(ServerKind kind, String path, String text) throws Exception {
    HttpResponse<String> response = post(kind, path, text);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.headers().firstValue("Multi-Room-Event-Id").orElseThrow();
  }

  /** A message as a page shows it. */
  record Message(String id, String text) {}

  /** A message as a page of several rooms shows it: with the room it came from. */
  record RoomMessage(String id, String room, String text) {}

  /** One window of the browser; every call first switches to it. */
  private final class Page {
    private final String handle;

    Page(String handle) {
      this.handle = handle;
    }

    void focus() {
      driver.switchTo().window(handle);
    }

    Object script(String script) {
      focus();
      return driver.executeScript(script);
    }

    String state() {
      focus();
      return driver.findElement(By.id("state")).getDomAttribute("data-state");
    }

    String text(String id) {
      return (String) script("return document.getElementById('" + id + "').textContent");
    }

    String value(String id) {
      return (String) script("return document.getElementById('" + id + "').value");
    }

    @SuppressWarnings("unchecked")
    List<Message> messages() {
      List<List<String>> rows =
          (List<List<String>>)
              script(
                  "return [...document.querySelectorAll('#messages .message')]"
                      + ".map(m => [m.dataset.id, m.querySelector('.text').textContent]);");
      return rows.stream().map(row -> new Message(row.get(0), row.get(1))).toList();
    }

    @SuppressWarnings("unchecked")
    List<RoomMessage> roomMessages() {
      List<List<String>> rows =
          (List<List<String>>)
              script(
                  "return [...document.querySelectorAll('#messages .message')].map(m =>"
                      + " [m.dataset.id, m.querySelector('.msg-room').textContent,"
                      + " m.querySelector('.text').textContent]);");
      return rows.stream()
          .map(row -> new RoomMessage(row.get(0), row.get(1).substring(1), row.get(2)))
          .toList();
    }

    /** Returns the address of every EventSource of the page that is not closed. */
    @SuppressWarnings("unchecked")
    List<String> liveEventSources() {
      return (List<String>)
          script(
              "return window.__eventSources.filter(s => s.readyState !== EventSource.CLOSED)"
                  + ".map(s => s.url);");
    }

    void fill(String id, String text) {
      focus();
      WebElement input = driver.findElement(By.id(id));
      input.clear();
      input.sendKeys(text);
    }

    void select(String id, String value) {
      focus();
      new Select(driver.findElement(By.id(id))).selectByValue(value);
    }

    @SuppressWarnings("unchecked")
    List<Boolean> mine() {
      return (List<Boolean>)
          script(
              "return [...document.querySelectorAll('#messages .message')]"
                  + ".map(m => m.classList.contains('mine'));");
    }

    @SuppressWarnings("unchecked")
    List<String> notices() {
      return (List<String>)
          script(
              "return [...document.querySelectorAll('#messages .notice')].map(n => n.textContent);");
    }

    void type(String text) {
      focus();
      WebElement area = driver.findElement(By.id("text"));
      area.clear();
      area.sendKeys(text);
    }

    void press(CharSequence keys) {
      focus();
      driver.findElement(By.id("text")).sendKeys(keys);
    }

    void click(String id) {
      focus();
      driver.findElement(By.id(id)).click();
    }
  }
}
