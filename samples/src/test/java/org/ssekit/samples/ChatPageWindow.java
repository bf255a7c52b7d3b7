package org.ssekit.samples;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The chat page in one window of a real browser, for one user: what a person does on it (log in,
 * send a DM, fill and click) and what it shows (state, DMs, messages). Every call first switches to
 * the window. Public, in the samples' test jar, for the browser tests of samples-spring-boot, which
 * serves the same page.
 *
 * <p><b>Thread safety:</b> confined to the test's thread.
 */
public final class ChatPageWindow {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final String handle;
  private final String user;

  /** A direct message as a page shows it: {@code to} or {@code from}, the other user, the text. */
  public record Dm(String direction, String name, String text) {}

  private ChatPageWindow(ChromeDriver driver, String handle, String user) {
    this.driver = driver;
    this.handle = handle;
    this.user = user;
  }

  /** Loads {@code url} in the driver's current window and waits until its stream is open. */
  public static ChatPageWindow open(ChromeDriver driver, String user, String url) {
    driver.get(url);
    ChatPageWindow page = new ChatPageWindow(driver, driver.getWindowHandle(), user);
    poll().until(() -> page.state().equals("open"));
    return page;
  }

  /** Waits up to 20 s, polling every 100 ms on the test's thread (WebDriver is not thread-safe). */
  public static ConditionFactory poll() {
    return await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100));
  }

  /** Returns this window's driver. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Returns the user this window is for. */
  public String user() {
    return user;
  }

  /** Switches the driver to this window. */
  public void focus() {
    driver.switchTo().window(handle);
  }

  /** Runs {@code script} in this window and returns its result. */
  public Object script(String script) {
    focus();
    return driver.executeScript(script);
  }

  /** Returns the connection badge's state: connecting, open, reconnecting or closed. */
  public String state() {
    focus();
    return driver.findElement(By.id("state")).getDomAttribute("data-state");
  }

  /** Returns the text of the element {@code id}. */
  public String text(String id) {
    return (String) script("return document.getElementById('" + id + "').textContent");
  }

  /** Types {@code text} into the input {@code id}, replacing what it held. */
  public void fill(String id, String text) {
    focus();
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  /** Clicks the element {@code id}. */
  public void click(String id) {
    focus();
    driver.findElement(By.id(id)).click();
  }

  /** Logs in as this page's user and waits until the stream carries the inbox and presence. */
  public void login() {
    fill("login-name", user);
    click("login");
    poll()
        .until(
            () ->
                user.equals(script("return window.chat.user"))
                    && state().equals("open")
                    && text("endpoint").endsWith("&inbox=1&presence=1"));
  }

  /** Sends a DM and waits until the page shows it as sent (or sends to itself). */
  public void dm(String to, String text) {
    fill("dm-to", to);
    fill("dm-text", text);
    click("dm-send");
    poll().until(() -> dms().contains(new Dm("to", to, text)) || to.equals(user));
  }

  /** Returns the DMs the page shows, in order. */
  @SuppressWarnings("unchecked")
  public List<Dm> dms() {
    List<List<String>> rows =
        (List<List<String>>)
            script(
                "return [...document.querySelectorAll('#inbox .dm')].map(d =>"
                    + " [d.querySelector('.who').textContent,"
                    + " d.querySelector('.dm-text').textContent]);");
    return rows.stream()
        .map(
            row -> {
              String[] who = row.get(0).split(" ", 2);
              return new Dm(who[0], who[1], row.get(1));
            })
        .toList();
  }

  /** Returns the texts of the room messages the page shows, in order. */
  @SuppressWarnings("unchecked")
  public List<String> messageTexts() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll('#messages .message .text')]"
                + ".map(t => t.textContent);");
  }
}
