package org.ssekit.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} driven through Debian's {@code chromedriver}, both at fixed paths, so
 * that Selenium never looks for (or downloads) a browser or driver of its own.
 *
 * <p>Where they are missing, {@link #requireInstalled()} skips the calling test with a loud reason;
 * in CI ({@code CI=true}) a missing browser fails it instead. {@code SSEKIT_CHROMIUM} and {@code
 * SSEKIT_CHROMEDRIVER} override the paths. Shared by the browser tests of samples and
 * samples-spring-boot; Selenium is an optional dependency of the kit, which those modules declare.
 *
 * <p><b>Thread safety:</b> thread-safe (stateless but for a once-only notice).
 */
public final class HeadlessChromium {
  /** The Chromium binary. */
  public static final Path CHROMIUM = Path.of(env("SSEKIT_CHROMIUM", "/usr/bin/chromium"));

  /** The chromedriver binary. */
  public static final Path CHROMEDRIVER =
      Path.of(env("SSEKIT_CHROMEDRIVER", "/usr/bin/chromedriver"));

  private static final AtomicBoolean skipAnnounced = new AtomicBoolean();

  private HeadlessChromium() {}

  /** Skips the test (or fails it in CI) unless Chromium and its driver are installed. */
  public static void requireInstalled() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String reason =
        "headless Chromium is not installed (need "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + "; on Debian: apt-get install chromium chromium-driver, as .ci/run does)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true and " + reason);
    }
    if (!skipAnnounced.getAndSet(true)) {
      System.err.println();
      System.err.println("*".repeat(100));
      System.err.println("* SKIPPING THE REAL-BROWSER TESTS: " + reason);
      System.err.println("*".repeat(100));
      System.err.println();
    }
    Assumptions.abort(reason);
  }

  /** Starts Debian's chromedriver on a free port. */
  public static ChromeDriverService startDriverService(Path logFile) throws IOException {
    Files.createDirectories(logFile.getParent());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(logFile.toFile())
            .withTimeout(Duration.ofSeconds(30))
            .build();
    service.start();
    return service;
  }

  /**
   * Opens a new headless browser with a fresh profile in {@code userDataDir}, with {@code
   * extraArguments} on its command line after the usual ones.
   */
  public static ChromeDriver open(
      ChromeDriverService service, Path userDataDir, String... extraArguments) throws IOException {
    Files.createDirectories(userDataDir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(new File(CHROMIUM.toString()));
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,860",
        "--user-data-dir=" + userDataDir.toAbsolutePath());
    options.addArguments(extraArguments);
    ChromeDriver driver = new ChromeDriver(service, options);
    driver
        .manage()
        .timeouts()
        .pageLoadTimeout(Duration.ofSeconds(30))
        .scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
