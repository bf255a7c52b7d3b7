package org.ssekit.interop;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.ssekit.testkit.TempDirectory;

/**
 * Headless Chromium's {@code EventSource}, driven by Selenium: one browser per server path, on a
 * page that the server under test serves ({@code /page.html}), so that every stream is same-origin.
 * The page records what each {@code EventSource} dispatches; a driver thread drains it every
 * {@value #DRAIN_MILLIS} ms. A token is a cookie that the page sets with {@code document.cookie}
 * for the stream's path, which the browser sends with every request (same origin), reconnects
 * included.
 *
 * <p>The browser and driver are Debian's ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver},
 * or the system properties {@code ssekit.interop.chromium} and {@code
 * ssekit.interop.chromedriver}); nothing is downloaded (Selenium Manager is not used when both
 * paths are given).
 *
 * <p><b>Thread safety:</b> thread-safe; every WebDriver call runs on the one driver thread.
 */
final class ChromiumClient implements SseClient {
  private static final long DRAIN_MILLIS = 40;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path userDataDir;
  private final ScheduledExecutorService driverThread;
  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
  private final String version;
  private final ClientKind kind;

  private ChromiumClient(
      ClientKind kind,
      ChromeDriverService service,
      ChromeDriver driver,
      Path userDataDir,
      ScheduledExecutorService driverThread) {
    this.kind = kind;
    this.service = service;
    this.driver = driver;
    this.userDataDir = userDataDir;
    this.driverThread = driverThread;
    this.version = String.valueOf(driver.getCapabilities().getBrowserVersion());
  }

  /**
   * Starts a browser on {@code pageUri}, for the column {@code kind}: over h2 ({@link
   * ClientKind#CHROMIUM_H2}) the page is the TLS origin's, whose self-signed certificate the
   * browser accepts ({@code --ignore-certificate-errors}); it then negotiates h2 by ALPN as it does
   * with any HTTPS server.
   *
   * @throws ClientUnavailableException if Chromium or its driver is not installed
   */
  static ChromiumClient start(ClientKind kind, URI pageUri) throws Exception {
    File chromium = new File(System.getProperty("ssekit.interop.chromium", "/usr/bin/chromium"));
    File chromedriver =
        new File(System.getProperty("ssekit.interop.chromedriver", "/usr/bin/chromedriver"));
    if (!chromium.canExecute()) {
      throw new ClientUnavailableException(
          chromium + " is not installed (Debian package chromium)");
    }
    if (!chromedriver.canExecute()) {
      throw new ClientUnavailableException(
          chromedriver + " is not installed (Debian package chromium-driver)");
    }
    Path userDataDir = Files.createTempDirectory("interop-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
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
        "--user-data-dir=" + userDataDir);
    if (kind.overH2()) {
      options.addArguments("--ignore-certificate-errors");
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver)
            .usingAnyFreePort()
            .build();
    ScheduledExecutorService driverThread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "chromium-driver");
              thread.setDaemon(true);
              return thread;
            });
    ChromeDriver driver;
    try {
      driver =
          driverThread.submit(() -> new ChromeDriver(service, options)).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      driverThread.shutdownNow();
      service.stop();
      throw e;
    }
    ChromiumClient client = new ChromiumClient(kind, service, driver, userDataDir, driverThread);
    try {
      client.call(
          () -> {
            driver.get(pageUri.toString());
            return null;
          });
    } catch (Exception e) {
      client.close();
      throw e;
    }
    driverThread.scheduleWithFixedDelay(
        client::drain, DRAIN_MILLIS, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    return client;
  }

  @Override
  public ClientKind kind() {
    return kind;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential)
      throws Exception {
    if (credential != null) {
      setCookie(uri.getPath(), credential.token());
      credential.onReplace(
          token -> {
            try {
              setCookie(uri.getPath(), token);
            } catch (Exception e) {
              throw new IllegalStateException("cannot set the cookie of " + run, e);
            }
          });
    }
    ChromiumConnection connection = new ChromiumConnection(run);
    connections.put(run, connection);
    call(
        () ->
            script(
                "window.interop.open(arguments[0], arguments[1], arguments[2]);",
                run,
                uri.toString(),
                List.copyOf(types)));
    return connection;
  }

  /** Sets the token's cookie from the page, for requests to {@code path} of the page's origin. */
  private void setCookie(String path, String token) throws Exception {
    call(
        () ->
            script(
                "window.interop.setCookie(arguments[0], arguments[1], arguments[2]);",
                InteropTokens.cookieName(),
                token,
                path));
  }

  @Override
  public void close() {
    try {
      call(
          () -> {
            driver.quit();
            return null;
          });
    } catch (Exception e) {
      // The browser is gone already.
    }
    driverThread.shutdownNow();
    service.stop();
    try {
      TempDirectory.deleteRecursively(userDataDir);
    } catch (UncheckedIOException e) {
      // A temporary directory: best effort.
    }
  }

  private Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  private <T> T call(Callable<T> task) throws Exception {
    return driverThread.submit(task).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs on the driver thread: hands what the page recorded to the connections. */
  private void drain() {
    List<?> drained;
    try {
      drained = (List<?>) script("return window.interop.drain();");
    } catch (RuntimeException e) {
      return; // the browser is closing
    }
    for (Object item : drained) {
      Map<?, ?> message = (Map<?, ?>) item;
      ClientConnection connection = connections.get(String.valueOf(message.get("run")));
      if (connection == null) {
        continue;
      }
      switch (String.valueOf(message.get("kind"))) {
        case "open":
          connection.record(Observation.open());
          break;
        case "event":
          connection.record(
              Observation.event(
                  (String) message.get("type"),
                  (String) message.get("data"),
                  (String) message.get("lastEventId")));
          break;
        default:
          connection.record(
              Observation.error("error event, readyState " + message.get("readyState")));
      }
    }
  }

  private final class ChromiumConnection extends ClientConnection {
    private final String run;

    ChromiumConnection(String run) {
      this.run = run;
    }

    @Override
    ReadyState readyState() throws Exception {
      // Drain first, so that what the page recorded before this state is recorded before it is
      // read.
      return call(
          () -> {
            drain();
            return ReadyState.ofNumber(
                ((Number) script("return window.interop.state(arguments[0]);", run)).longValue());
          });
    }

    @Override
    public void close() {
      try {
        call(
            () -> {
              drain();
              script("window.interop.close(arguments[0]);", run);
              return null;
            });
      } catch (Exception e) {
        // The browser is gone; the scenario's result already shows it.
      }
      connections.remove(run);
    }
  }
}
