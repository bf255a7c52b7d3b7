package org.ssekit.testkit;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} for one test class : started on a free loopback port with persistence
 * off, stopped and restarted on the same port on demand (a restart therefore starts empty), and
 * stopped at the end.
 *
 * <p>The binary is {@code $SSEKIT_REDIS_SERVER}, else {@code /usr/bin/redis-server}, else {@code
 * redis-server} on the {@code PATH}. Without one, test classes marked with {@link Required} are
 * skipped with the reason printed, except in CI ({@code CI=true}), where a missing binary fails
 * them.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final int port;
  private final Path directory;
  private Process process;

  private RedisServer(Path binary, int port, Path directory) {
    this.binary = binary;
    this.port = port;
    this.directory = directory;
  }

  /**
   * Skips test classes when there is no {@code redis-server}, printing why; in CI ({@code CI=true})
   * they run, and fail in {@link #start()}. Register with
   * {@code @ExtendWith(RedisServer.Required.class)}.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (binary() != null || isCi()) {
        return ConditionEvaluationResult.enabled("redis-server found, or CI requires it");
      }
      String reason =
          "redis-server not found (install the Debian package redis-server, or set"
              + " SSEKIT_REDIS_SERVER to its path): skipping "
              + context.getDisplayName();
      // Straight to the process's stderr, which Maven shows: surefire keeps System.err in files.
      PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
      console.println("[ssekit] " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }

  private static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Starts a server; fails if there is no binary (see {@link Required}). */
  public static RedisServer start() throws IOException {
    Path binary = binary();
    if (binary == null) {
      Assertions.fail(
          "redis-server not found (install the Debian package redis-server, or set"
              + " SSEKIT_REDIS_SERVER to its path)"
              + (isCi() ? ": CI=true requires it" : ""));
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisServer server = new RedisServer(binary, port, Files.createTempDirectory("ssekit-redis-"));
    server.startProcess();
    return server;
  }

  static Path binary() {
    String configured = System.getenv("SSEKIT_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isExecutable(path) ? path : null;
    }
    Path debian = Path.of("/usr/bin/redis-server");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable != null) {
      for (String directory : pathVariable.split(File.pathSeparator)) {
        Path candidate = Path.of(directory, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** Returns the URI of the server, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Returns the server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * Stops the server (as {@code SIGTERM} does: connections are closed) and waits for it to exit.
   */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }

  /**
   * Kills the server as a crash does ({@code kill -9}: no shutdown, connections reset by the
   * kernel) and waits for it to exit; {@link #restart()} then starts it empty.
   *
   * @throws IOException if the signal cannot be sent
   */
  public void kill() throws IOException, InterruptedException {
    signal("-KILL");
    Assertions.assertTrue(process.waitFor(10, TimeUnit.SECONDS), "kill -9 did not end the server");
    process = null;
  }

  /**
   * Freezes the server ({@code SIGSTOP}): its connections stay open but it answers nothing until
   * {@link #resume()}, as a Redis that hangs.
   *
   * @throws IOException if the signal cannot be sent
   */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /**
   * Lets a {@linkplain #pause() paused} server run again ({@code SIGCONT}).
   *
   * @throws IOException if the signal cannot be sent
   */
  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Assertions.assertNotNull(process, "the server is stopped");
    Process kill =
        new ProcessBuilder("kill", signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    Assertions.assertTrue(kill.waitFor(5, TimeUnit.SECONDS), "kill " + signal + " did not end");
    Assertions.assertEquals(0, kill.exitValue(), "kill " + signal + " failed");
  }

  /**
   * Starts the stopped server again on the same port; it starts empty (no persistence).
   *
   * @throws IOException if the process cannot be started
   */
  public void restart() throws IOException {
    Assertions.assertNull(process, "restart() needs a stopped server");
    startProcess();
  }

  private void startProcess() throws IOException {
    List<String> command =
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory.toString(),
            "--daemonize",
            "no");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("redis.log").toFile())
            .start();
    await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(this::answersPing);
  }

  private boolean answersPing() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "redis-server exited with "
              + process.exitValue()
              + "; see "
              + directory.resolve("redis.log"));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(directory)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    }
  }
}
