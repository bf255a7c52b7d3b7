package org.ssekit.samples.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.testkit.TempDirectory;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.WebContainer;

/**
 * The packaged {@code .war} deployed the way an application server deploys it, into embedded Tomcat
 * 11 and Jetty 12 (ee11): the ssekit jars come from its {@code WEB-INF/lib} (the test's class path
 * has neither), the hub from the library's {@code SseHubListener} declared in {@code web.xml}, the
 * servlets from their annotations. After undeploying, every stream has ended, no ssekit thread is
 * left, and Tomcat's own leak detection (threads, ThreadLocals; enabled by the failsafe {@code
 * --add-opens}) found nothing.
 */
class WarDeploymentIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<LogRecord> leakReports = new CopyOnWriteArrayList<>();
  private final Handler leakDetector =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            leakReports.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /**
   * Tomcat's class loader reports what a stopped application left behind here; held for the test.
   */
  private final Logger tomcatLoaderLog =
      Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Path workDir;
  private WebContainer container;

  static Stream<Named<Function<Path, WebContainer>>> containers() {
    return Stream.of(
        Named.of("tomcat-11", WebContainer::tomcat),
        Named.of("jetty-12-ee11", WebContainer::jetty));
  }

  @BeforeEach
  void watchTomcatLeakReports() {
    tomcatLoaderLog.addHandler(leakDetector);
  }

  @AfterEach
  void stopContainer() throws Exception {
    tomcatLoaderLog.removeHandler(leakDetector);
    if (container != null) {
      container.stop();
    }
    TempDirectory.deleteRecursively(workDir);
  }

  private static Path war() {
    Path war = Path.of(System.getProperty("ssekit.samples.war", "target/ssekit-samples-war.war"));
    assertThat(war).as("the packaged WAR (run mvn verify)").isRegularFile();
    return war;
  }

  @ParameterizedTest
  @MethodSource("containers")
  void deployedWarStreamsEventsAndUndeployingEndsStreamsAndLeavesNoSsekitThread(
      Function<Path, WebContainer> factory) throws Exception {
    assertThat(classOnTestClassPath("org.ssekit.servlet.SseServlet"))
        .as("ssekit must come from the WAR's WEB-INF/lib, not from the test class path")
        .isFalse();
    workDir = Files.createTempDirectory("ssekit-war-it");
    container = factory.apply(workDir);
    int port = container.start();
    URI base = URI.create("http://127.0.0.1:" + port + "/chat/");
    container.deploy("/chat", war());

    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("ssekit WAR sample");
    LineStream stream = LineStream.open(http, base.resolve("events?topic=news"));
    assertThat(stream.response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).statusCode())
        .isEqualTo(200);
    HttpResponse<String> published =
        http.send(
            HttpRequest.newBuilder(base.resolve("publish?topic=news"))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "hello from the WAR: Grüße", StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(published.statusCode()).isEqualTo(202);
    String id = published.body().trim();

    assertThat(stream.nextField()).isEqualTo("id: " + id);
    assertThat(stream.nextField()).isEqualTo("data: hello from the WAR: Grüße");
    assertThat(ThreadChecks.ssekitThreads()).as("the application's hub threads").isNotEmpty();
    HttpResponse<String> badTopic =
        http.send(
            HttpRequest.newBuilder(base.resolve("events?topic=a.b")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badTopic.statusCode()).isEqualTo(400);

    container.undeploy();

    String retry = stream.nextField();
    assertThat(retry).startsWith("retry: ");
    assertThat(Long.parseLong(retry.substring("retry: ".length()))).isBetween(1_000L, 10_000L);
    stream.ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(WAIT).untilAsserted(() -> assertThat(ThreadChecks.ssekitThreads()).isEmpty());
    // SseHub.close() returns only after its threads have ended: Tomcat, checking right after the
    // application stopped, must find no ssekit thread, nor anything else.
    assertThat(leakReports).extracting(LogRecord::getMessage).isEmpty();
    HttpResponse<String> gone =
        http.send(
            HttpRequest.newBuilder(base.resolve("events?topic=news")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gone.statusCode()).isEqualTo(404);
  }

  private static boolean classOnTestClassPath(String name) {
    try {
      Class.forName(name, false, WarDeploymentIT.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * The lines of an event stream as they arrive; the test's class path has no ssekit parser, and
   * the events here are single lines of known text.
   */
  private static final class LineStream {
    final CompletableFuture<HttpResponse<Stream<String>>> response;
    final BlockingQueue<String> fields = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    private LineStream(CompletableFuture<HttpResponse<Stream<String>>> response) {
      this.response = response;
      response.thenAcceptAsync(
          r -> {
            try (Stream<String> lines = r.body()) {
              lines.filter(line -> !line.isEmpty() && !line.startsWith(":")).forEach(fields::add);
              ended.complete(null);
            } catch (RuntimeException e) {
              ended.completeExceptionally(e);
            }
          });
    }

    static LineStream open(HttpClient http, URI uri) {
      return new LineStream(
          http.sendAsync(
              HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
              HttpResponse.BodyHandlers.ofLines()));
    }

    /** Returns the next field line (not a comment, not blank), or null after the timeout. */
    String nextField() throws InterruptedException {
      return fields.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
