package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.samples.ChatPageWindow.poll;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.ssekit.samples.ChatPageWindow.Dm;
import org.ssekit.testkit.HeadlessChromium;
import org.ssekit.testkit.TempDirectory;

/**
 * Logins and direct messages on the page of the packaged demo in a real browser (Debian's headless
 * Chromium through Selenium), on Jetty and on Tomcat. Alice and Bob use one browser: alice's page
 * at {@code 127.0.0.1} through the servlet path, bob's at {@code localhost} through JAX-RS (cookies
 * belong to a host, so each has a session of its own). Carol uses a second browser and a page
 * served by a second demo process on another port, a cross-origin page that reads the first demo
 * with {@code EventSource(url, {withCredentials: true})} and posts with credentials, as the first
 * demo allows with {@code --allow-origin}. All three pages list who is in the room (from their
 * streams' presence events), and a user who logs out leaves it. Screenshots are kept under {@code
 * target/browser/}.
 */
class IdentityBrowserIT {

  private final Path output = DemoProcess.outputDir("browser");
  private final List<DemoProcess> demos = new ArrayList<>();
  private final List<ChromeDriver> drivers = new ArrayList<>();
  private final List<ChromeDriverService> services = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();
  private final List<ChatPageWindow> pages = new ArrayList<>();

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void closeEverything(TestInfo test) throws Exception {
    try {
      String name =
          test.getTestMethod().orElseThrow().getName()
              + "-"
              + test.getDisplayName().replaceAll("[^A-Za-z0-9]+", "");
      Files.createDirectories(output);
      for (ChatPageWindow page : pages) {
        page.focus();
        Path screenshot = page.driver().getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            screenshot,
            output.resolve(name + "-" + page.user() + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      for (ChromeDriver driver : drivers) {
        driver.quit();
      }
      for (ChromeDriverService service : services) {
        service.stop();
      }
      for (DemoProcess demo : demos) {
        demo.close();
      }
      for (Path profile : profiles) {
        TempDirectory.deleteRecursively(profile);
      }
    }
  }

  private DemoProcess demo(String logName, String... args) throws Exception {
    DemoProcess demo = DemoProcess.start(output.resolve(logName), args);
    demos.add(demo);
    return demo;
  }

  private ChromeDriver browser(String name) throws IOException {
    Path profile = Files.createTempDirectory("ssekit-chromium-");
    profiles.add(profile);
    ChromeDriverService service =
        HeadlessChromium.startDriverService(output.resolve("chromedriver-" + name + ".log"));
    services.add(service);
    ChromeDriver driver = HeadlessChromium.open(service, profile);
    drivers.add(driver);
    // Every EventSource a page creates is recorded, so that the test can read its options.
    driver.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "(() => { const Native = window.EventSource; window.__eventSources = [];"
                + " window.EventSource = class extends Native {"
                + " constructor(...args) { super(...args); window.__eventSources.push(this); } };"
                + " })();"));
    return driver;
  }

  private ChatPageWindow open(ChromeDriver driver, String user, String url) {
    ChatPageWindow page = ChatPageWindow.open(driver, user, url);
    pages.add(page);
    return page;
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#tomcat")
  void loggedInUsersExchangeDmsThatAThirdUserOnAnotherOriginNeverSees(ServerKind kind)
      throws Exception {
    DemoProcess pageServer = demo("identity-pages-" + kind + ".log", "--port", "0");
    String otherOrigin = "http://127.0.0.1:" + pageServer.uri().getPort();
    DemoProcess chat =
        demo(
            "identity-chat-" + kind + ".log",
            "--port",
            "0",
            "--server",
            kind.toString(),
            "--allow-origin",
            otherOrigin);
    URI api = chat.uri();
    String room = "identity-" + kind;

    ChromeDriver first = browser("first-" + kind);
    ChatPageWindow alice = open(first, "alice", api.resolve("/?room=" + room).toString());
    first.switchTo().newWindow(WindowType.WINDOW);
    ChatPageWindow bob =
        open(first, "bob", "http://localhost:" + api.getPort() + "/?room=" + room + "&via=jaxrs");
    ChromeDriver second = browser("second-" + kind);
    String apiOrigin = "http://127.0.0.1:" + api.getPort();
    ChatPageWindow carol =
        open(second, "carol", otherOrigin + "/?room=" + room + "&api=" + apiOrigin);

    for (ChatPageWindow page : List.of(alice, bob, carol)) {
      page.login();
    }
    assertThat(alice.text("endpoint"))
        .isEqualTo("GET /chat/events?room=" + room + "&inbox=1&presence=1");
    assertThat(bob.text("endpoint"))
        .isEqualTo("GET /api/chat/events?room=" + room + "&inbox=1&presence=1");
    // Carol's page streams from the other origin, with credentials.
    assertThat(carol.text("endpoint"))
        .isEqualTo("GET " + apiOrigin + "/chat/events?room=" + room + "&inbox=1&presence=1");
    assertThat(
            carol.script(
                "const s = window.__eventSources.filter(s => s.readyState === EventSource.OPEN);"
                    + " return s.length === 1 && s[0].withCredentials && s[0].url;"))
        .isEqualTo(apiOrigin + "/chat/events?room=" + room + "&inbox=1&presence=1");

    // Who is here: every logged-in page lists the three users, whichever path or origin they use.
    String everyone = "#" + room + ": alice, bob, carol";
    for (ChatPageWindow page : List.of(alice, bob, carol)) {
      poll().until(() -> page.text("members").equals(everyone));
    }

    alice.dm("bob", "hi bob, only for you");
    poll().until(() -> bob.dms().contains(new Dm("from", "alice", "hi bob, only for you")));
    bob.dm("alice", "hi alice \"quoted\" <b>not bold</b>");
    poll()
        .until(
            () ->
                alice
                    .dms()
                    .equals(
                        List.of(
                            new Dm("to", "bob", "hi bob, only for you"),
                            new Dm("from", "bob", "hi alice \"quoted\" <b>not bold</b>"))));
    assertThat(bob.dms())
        .containsExactly(
            new Dm("from", "alice", "hi bob, only for you"),
            new Dm("to", "alice", "hi alice \"quoted\" <b>not bold</b>"));

    // Carol, on the other origin: her DMs arrive with her cookie; alice's and bob's never do.
    alice.dm("carol", "hello carol");
    poll().until(() -> carol.dms().equals(List.of(new Dm("from", "alice", "hello carol"))));
    carol.dm("alice", "hello from the other origin");
    poll()
        .until(() -> alice.dms().contains(new Dm("from", "carol", "hello from the other origin")));
    assertThat(carol.dms())
        .containsExactly(
            new Dm("from", "alice", "hello carol"),
            new Dm("to", "alice", "hello from the other origin"));
    // A room message posted from the other origin reaches everyone.
    carol.fill("text", "carol in the room");
    carol.click("send");
    for (ChatPageWindow page : List.of(alice, bob, carol)) {
      poll().until(() -> page.messageTexts().contains("carol in the room"));
    }
    String carolsPage = (String) carol.script("return document.body.textContent");
    assertThat(carolsPage).doesNotContain("only for you", "quoted");
    assertThat(carol.text("error")).isEmpty();

    // Logging out ends bob's stream; the page streams the room alone, without the inbox.
    bob.click("logout");
    poll().until(() -> bob.script("return window.chat.user") == null);
    poll()
        .until(
            () ->
                bob.state().equals("open")
                    && bob.text("endpoint").equals("GET /api/chat/events?room=" + room));
    assertThat(bob.dms()).isEmpty();
    // Bob's stream is anonymous now: he left the room, and his page lists nobody.
    poll().until(() -> alice.text("members").equals("#" + room + ": alice, carol"));
    poll().until(() -> carol.text("members").equals("#" + room + ": alice, carol"));
    assertThat((Boolean) bob.script("return document.getElementById('members-panel').hidden"))
        .isTrue();
    alice.dm("bob", "after the logout");
    alice.fill("text", "still in the room");
    alice.click("send");
    poll().until(() -> bob.messageTexts().contains("still in the room"));
    assertThat(bob.dms()).isEmpty();
    assertThat((String) bob.script("return document.body.textContent"))
        .doesNotContain("after the logout");
  }
}
