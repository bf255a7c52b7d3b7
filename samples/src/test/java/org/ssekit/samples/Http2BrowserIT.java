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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.ssekit.testkit.HeadlessChromium;
import org.ssekit.testkit.TempDirectory;

/**
 * Why {@code --tls} matters, in a real browser (headless Chromium through Selenium, as {@link
 * ChatBrowserIT}), on Jetty and on Tomcat: ten {@code EventSource}s on one page all stream over
 * HTTP/2, while over plain HTTP/1.1 the browser opens six connections to a server and queues the
 * seventh stream until one of them ends.
 *
 * <p>The page is the demo's stylesheet (same origin, no stream of its own); the test creates the
 * streams with a script, alternately on {@code /chat/events} and {@code /api/chat/events}. The
 * browser accepts the self-signed certificate by {@code --ignore-certificate-errors}; the test's
 * own HTTP client trusts exactly the certificate whose SHA-256 the demo printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2BrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int STREAMS = 10;

  /** Chromium's limit of HTTP/1.1 connections to one server (scheme, host and port). */
  private static final int HTTP11_CONNECTIONS = 6;

  /**
   * How long the queued streams must stay queued: ample for a browser that did open a seventh
   * connection to show it (the six open ones connect well within it).
   */
  private static final Duration QUEUED_WINDOW = Duration.ofSeconds(2);

  private static final Pattern FINGERPRINT =
      Pattern.compile("self-signed certificate SHA-256 ([0-9A-F:]+)");
  private static final AtomicInteger ROOMS = new AtomicInteger();

  private final Map<ServerKind, DemoProcess> plainDemos = new EnumMap<>(ServerKind.class);
  private final Map<ServerKind, DemoProcess> tlsDemos = new EnumMap<>(ServerKind.class);
  private final Path output = DemoProcess.outputDir("browser-h2");
  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;

  @BeforeEach
  void requireBrowser() throws IOException {
    HeadlessChromium.requireInstalled();
    profile = Files.createTempDirectory("ssekit-chromium-");
    service = HeadlessChromium.startDriverService(output.resolve("chromedriver.log"));
    // The demo's certificate is self-signed: the browser accepts it, as a user would after the
    // warning.
    driver = HeadlessChromium.open(service, profile, "--ignore-certificate-errors");
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
      service.stop();
      driver = null;
    }
    TempDirectory.deleteRecursively(profile);
  }

  @AfterAll
  void stopDemos() {
    plainDemos.values().forEach(DemoProcess::close);
    tlsDemos.values().forEach(DemoProcess::close);
  }

  private DemoProcess demo(ServerKind kind, boolean tls) throws Exception {
    Map<ServerKind, DemoProcess> demos = tls ? tlsDemos : plainDemos;
    DemoProcess demo = demos.get(kind);
    if (demo == null) {
      List<String> args =
          new ArrayList<>(List.of("--port", "0", "--server", kind.toString(), "--test-hooks"));
      if (tls) {
        args.add("--tls");
      }
      demo =
          DemoProcess.start(
              output.resolve("demo-" + kind + (tls ? "-tls" : "") + ".log"),
              args.toArray(String[]::new));
      demos.put(kind, demo);
    }
    return demo;
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#tomcat")
  void tenEventSourcesOnOnePageAllReceiveOverHttp2(ServerKind kind) throws Exception {
    DemoProcess demo = demo(kind, true);
    URI base = demo.uri();
    assertThat(base.getScheme()).isEqualTo("https");
    assertThat(demo.output()).anyMatch(line -> line.contains("HTTP/2 and HTTP/1.1 by ALPN"));
    String room = newRoom(kind);
    driver.get(base.resolve("/app.css").toString());
    assertThat(driver.executeScript(NAVIGATION_PROTOCOL)).isEqualTo("h2");

    openStreams(base, room);

    poll().until(() -> readyStates().stream().allMatch(state -> state == 1L));
    Admin admin = new Admin(demo);
    poll().until(() -> admin.streams(room), text -> text.equals(streamCount(room, STREAMS)));
    String id = admin.post(room, "to all ten over h2");
    poll().until(() -> receivedCounts().equals(Collections.nCopies(STREAMS, 1)));
    assertThat(received()).containsOnly(List.of(id + " to all ten over h2"));
  }

  @ParameterizedTest
  @MethodSource("org.ssekit.samples.BrowserServers#jetty")
  void overHttp11TheSeventhEventSourceWaitsForOneOfSixConnections(ServerKind kind)
      throws Exception {
    DemoProcess demo = demo(kind, false);
    URI base = demo.uri();
    String room = newRoom(kind);
    driver.get(base.resolve("/app.css").toString());
    assertThat(driver.executeScript(NAVIGATION_PROTOCOL)).isEqualTo("http/1.1");

    openStreams(base, room);

    Admin admin = new Admin(demo);
    poll().until(() -> count(readyStates(), 1L) == HTTP11_CONNECTIONS);
    poll()
        .until(
            () -> admin.streams(room), text -> text.equals(streamCount(room, HTTP11_CONNECTIONS)));
    String first = admin.post(room, "only six get this");
    // Six open, four queued in the browser (CONNECTING, never sent): that stays so, and the four
    // get nothing, for as long as the six stay open.
    await()
        .during(QUEUED_WINDOW)
        .atMost(QUEUED_WINDOW.plus(WAIT))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              List<Long> states = readyStates();
              return count(states, 1L) == HTTP11_CONNECTIONS
                  && count(states, 0L) == STREAMS - HTTP11_CONNECTIONS
                  && admin.streams(room).equals(streamCount(room, HTTP11_CONNECTIONS))
                  && receivedCounts().equals(expectedCounts(states, 1));
            });
    List<Long> before = readyStates();
    List<Integer> open = indexesOf(before, 1L);
    List<Integer> queued = indexesOf(before, 0L);
    List<List<String>> received = received();
    for (int i : open) {
      assertThat(received.get(i)).containsExactly(first + " only six get this");
    }
    for (int i : queued) {
      assertThat(received.get(i)).isEmpty();
    }

    // Closing two of the six frees two connections: two queued streams go out and connect.
    driver.executeScript(
        "window.__streams[arguments[0]].source.close(); window.__streams[arguments[1]].source.close();",
        open.get(0),
        open.get(1));
    poll()
        .until(
            () -> {
              List<Long> states = readyStates();
              return count(states, 2L) == 2
                  && count(states, 1L) == HTTP11_CONNECTIONS
                  && count(states, 0L) == STREAMS - HTTP11_CONNECTIONS - 2;
            });
    List<Integer> nowOpen = indexesOf(readyStates(), 1L);
    assertThat(nowOpen).containsAll(open.subList(2, open.size()));
    assertThat(queued).containsAll(nowOpen.stream().filter(i -> !open.contains(i)).toList());
    // (Not the server's count here: it learns that a client closed an idle HTTP/1.1 stream only
    // when it next writes to it, at the keep-alive. An OPEN stream is subscribed: the response
    // headers it got follow the subscription.)
    String second = admin.post(room, "the six open now get this");
    poll()
        .until(
            () ->
                nowOpen.stream()
                    .allMatch(
                        i -> received().get(i).contains(second + " the six open now get this")));
  }

  private static final String NAVIGATION_PROTOCOL =
      "return performance.getEntriesByType('navigation')[0].nextHopProtocol;";

  /** Creates the page's streams, alternately of the servlet and the JAX-RS path, in one room. */
  private void openStreams(URI base, String room) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      String path = (i % 2 == 0 ? "/chat" : "/api/chat") + "/events?room=" + room;
      urls.add(base.resolve(path).toString());
    }
    driver.executeScript(
        "window.__streams = arguments[0].map(url => {"
            + " const entry = { source: new EventSource(url), received: [] };"
            + " entry.source.onmessage = e => entry.received.push(e.lastEventId + ' ' + e.data);"
            + " return entry; });",
        urls);
  }

  /** Each stream's {@code readyState}: 0 connecting, 1 open, 2 closed. */
  @SuppressWarnings("unchecked")
  private List<Long> readyStates() {
    return (List<Long>)
        driver.executeScript("return window.__streams.map(s => s.source.readyState);");
  }

  /** Each stream's messages so far, as {@code "<id> <data>"}. */
  @SuppressWarnings("unchecked")
  private List<List<String>> received() {
    return (List<List<String>>)
        driver.executeScript("return window.__streams.map(s => s.received.slice());");
  }

  private List<Integer> receivedCounts() {
    return received().stream().map(List::size).toList();
  }

  /** One message for each stream in {@code states} that is open, none for the others. */
  private static List<Integer> expectedCounts(List<Long> states, int messages) {
    return states.stream().map(state -> state == 1L ? messages : 0).toList();
  }

  private static long count(List<Long> states, long state) {
    return states.stream().filter(each -> each == state).count();
  }

  private static List<Integer> indexesOf(List<Long> states, long state) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) == state) {
        indexes.add(i);
      }
    }
    return indexes;
  }

  private static String streamCount(String room, int count) {
    return "streams of " + room + ": " + count + " one-room, 0 multi-room\n";
  }

  private static String newRoom(ServerKind kind) {
    return "h2-" + kind + "-" + ROOMS.incrementAndGet();
  }

  private static ConditionFactory poll() {
    return await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100));
  }

  /**
   * The test's own requests to a demo (posts, the stream count): over HTTPS it trusts exactly the
   * certificate whose SHA-256 the demo printed.
   */
  private static final class Admin {
    private final URI base;
    private final HttpClient http;

    Admin(DemoProcess demo) throws GeneralSecurityException {
      this.base = demo.uri();
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(WAIT);
      if (base.getScheme().equals("https")) {
        String fingerprint =
            demo.output().stream()
                .map(FINGERPRINT::matcher)
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no fingerprint in " + demo.output()));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new PinnedCertificate(fingerprint)}, null);
        builder.sslContext(tls);
      }
      this.http = builder.build();
    }

    String streams(String room) throws Exception {
      return http.send(
              HttpRequest.newBuilder(base.resolve("/admin/streams?room=" + room))
                  .timeout(WAIT)
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .body();
    }

    /** Posts {@code text} to {@code room} and returns its id. */
    String post(String room, String text) throws Exception {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/chat/messages?room=" + room))
                  .timeout(WAIT)
                  .header("Content-Type", "text/plain; charset=UTF-8")
                  .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      return response.body().trim();
    }
  }

  /** Trusts one certificate, known by its SHA-256 as the demo prints it. */
  private static final class PinnedCertificate implements X509TrustManager {
    private final String fingerprint;

    PinnedCertificate(String fingerprint) {
      this.fingerprint = fingerprint;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      String presented;
      try {
        presented =
            HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot fingerprint the server's certificate", e);
      }
      if (!presented.equals(fingerprint)) {
        throw new CertificateException(
            "server certificate not the one the demo printed: " + presented);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a client of the demo has no certificate");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
