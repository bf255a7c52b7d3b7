package org.ssekit.samples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ssekit.samples.ChatPageWindow.poll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.ssekit.SseHub;
import org.ssekit.samples.ChatPageWindow;
import org.ssekit.samples.ChatPageWindow.Dm;
import org.ssekit.testkit.HeadlessChromium;
import org.ssekit.testkit.TempDirectory;

/**
 * The samples' page on the Spring Boot chat in a real browser (Debian's headless Chromium through
 * Selenium), as the samples' {@code IdentityBrowserIT}: alice ({@code 127.0.0.1}, the {@code /chat}
 * path) and bob ({@code localhost}, the {@code /api/chat} path) in one browser (cookies belong to a
 * host, so each has a Spring Security session of its own), carol in a second browser; they log in
 * on the page, alice and bob exchange DMs that carol never sees, carol gets hers, every page lists
 * who is here, and bob's logout ends his stream: his page streams the room alone and he leaves the
 * others' lists. It runs in the same Spring context as the HTTP tests (one start for all).
 * Screenshots are kept under {@code target/browser/}.
 */
@AutoConfigureObservability
@SpringBootTest(
    classes = ChatApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "ssekit.keep-alive=200ms")
class ChatBrowserTest {
  private final Path output = Path.of("target", "browser");
  private final List<ChromeDriver> drivers = new ArrayList<>();
  private final List<ChromeDriverService> services = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();
  private final List<ChatPageWindow> pages = new ArrayList<>();

  @LocalServerPort int port;
  @Autowired SseHub hub;

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireInstalled();
  }

  @AfterEach
  void closeEverything() throws Exception {
    try {
      Files.createDirectories(output);
      for (ChatPageWindow page : pages) {
        page.focus();
        Path screenshot = page.driver().getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            screenshot,
            output.resolve("boot-identity-" + page.user() + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      drivers.forEach(ChromeDriver::quit);
      services.forEach(ChromeDriverService::stop);
      for (Path profile : profiles) {
        TempDirectory.deleteRecursively(profile);
      }
    }
  }

  private ChromeDriver browser(String name) throws IOException {
    Path profile = Files.createTempDirectory("ssekit-chromium-");
    profiles.add(profile);
    ChromeDriverService service =
        HeadlessChromium.startDriverService(output.resolve("chromedriver-boot-" + name + ".log"));
    services.add(service);
    ChromeDriver driver = HeadlessChromium.open(service, profile);
    drivers.add(driver);
    return driver;
  }

  private ChatPageWindow open(ChromeDriver driver, String user, String url) {
    ChatPageWindow page = ChatPageWindow.open(driver, user, url);
    pages.add(page);
    return page;
  }

  @Test
  void loggedInUsersExchangeDmsThatAThirdUserNeverSeesAndPresenceFollows() throws Exception {
    String room = "boot-identity";
    ChromeDriver first = browser("first");
    ChatPageWindow alice = open(first, "alice", "http://127.0.0.1:" + port + "/?room=" + room);
    first.switchTo().newWindow(WindowType.WINDOW);
    ChatPageWindow bob =
        open(first, "bob", "http://localhost:" + port + "/?room=" + room + "&via=jaxrs");
    ChatPageWindow carol =
        open(browser("second"), "carol", "http://127.0.0.1:" + port + "/?room=" + room);

    for (ChatPageWindow page : List.of(alice, bob, carol)) {
      page.login();
    }
    assertThat(alice.text("endpoint"))
        .isEqualTo("GET /chat/events?room=" + room + "&inbox=1&presence=1");
    assertThat(bob.text("endpoint"))
        .isEqualTo("GET /api/chat/events?room=" + room + "&inbox=1&presence=1");
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
    alice.dm("carol", "hello carol");
    poll().until(() -> carol.dms().equals(List.of(new Dm("from", "alice", "hello carol"))));
    carol.fill("text", "carol in the room");
    carol.click("send");
    for (ChatPageWindow page : List.of(alice, bob, carol)) {
      poll().until(() -> page.messageTexts().contains("carol in the room"));
    }
    assertThat(bob.dms())
        .containsExactly(
            new Dm("from", "alice", "hi bob, only for you"),
            new Dm("to", "alice", "hi alice \"quoted\" <b>not bold</b>"));
    assertThat(carol.dms()).containsExactly(new Dm("from", "alice", "hello carol"));
    assertThat((String) carol.script("return document.body.textContent"))
        .doesNotContain("only for you", "quoted");
    assertThat(carol.text("error")).isEmpty();

    // Logging out ends bob's Spring Security session and his stream: his page streams the room
    // alone, and he leaves the others' lists.
    bob.click("logout");
    poll().until(() -> bob.script("return window.chat.user") == null);
    poll()
        .until(
            () ->
                bob.state().equals("open")
                    && bob.text("endpoint").equals("GET /api/chat/events?room=" + room));
    poll().until(() -> alice.text("members").equals("#" + room + ": alice, carol"));
    poll().until(() -> carol.text("members").equals("#" + room + ": alice, carol"));
    alice.dm("bob", "after the logout");
    alice.fill("text", "still in the room");
    alice.click("send");
    poll().until(() -> bob.messageTexts().contains("still in the room"));
    assertThat(bob.dms()).isEmpty();
    assertThat((String) bob.script("return document.body.textContent"))
        .doesNotContain("after the logout");
  }
}
