package org.ssekit.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openqa.selenium.json.Json;

/**
 * The Node.js process that runs {@code node/runner.mjs}, which drives undici's and the npm {@code
 * eventsource} package's {@code EventSource}: commands go to its stdin and observations come back
 * on its stdout, one JSON object per line. Before the first start, the packages are installed with
 * {@code npm ci} from the committed lock file when {@code node_modules} is missing or older than
 * the lock.
 *
 * <p><b>Thread safety:</b> thread-safe; one reader thread dispatches the observations.
 */
final class NodeRunner implements AutoCloseable {
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_STDERR_CHARS = 8192;

  private final Json json = new Json();
  private final Process process;
  private final OutputStream stdin;
  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Map<String, Object>>> replies =
      new ConcurrentHashMap<>();
  private final CompletableFuture<Map<String, Object>> ready = new CompletableFuture<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Object writeLock = new Object();
  // @GuardedBy("stderr")
  private final StringBuilder stderr = new StringBuilder();

  private NodeRunner(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readObservations, "node-runner-stdout");
    reader.setDaemon(true);
    reader.start();
    Thread errors = new Thread(this::readStderr, "node-runner-stderr");
    errors.setDaemon(true);
    errors.start();
  }

  /**
   * Installs the packages if needed and starts the runner.
   *
   * @throws ClientUnavailableException if Node.js or npm is missing, too old, or the install failed
   */
  static NodeRunner start(Path nodeDir) throws ClientUnavailableException, InterruptedException {
    String version = run(nodeDir, Duration.ofSeconds(20), "node", "--version").trim();
    int major = Integer.parseInt(version.replaceFirst("^v(\\d+)\\..*$", "$1"));
    if (major < 20) {
      throw new ClientUnavailableException(
          "Node.js " + version + " is too old: undici 7 needs 20.18.1 or later");
    }
    installPackages(nodeDir);
    ProcessBuilder builder = new ProcessBuilder("node", "runner.mjs").directory(nodeDir.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ClientUnavailableException("cannot start node runner.mjs in " + nodeDir, e);
    }
    NodeRunner runner = new NodeRunner(process);
    try {
      runner.ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      runner.close();
      throw new ClientUnavailableException("node runner.mjs did not start: " + runner.stderr(), e);
    }
    return runner;
  }

  /** Returns the version of {@code packageName} that the runner loaded. */
  String version(String packageName) {
    @SuppressWarnings("unchecked")
    Map<String, Object> versions = (Map<String, Object>) ready.join().get("versions");
    return String.valueOf(versions.get(packageName));
  }

  /**
   * Opens a connection of {@code client} ({@code undici} or {@code eventsource}) that sends {@code
   * token} in an {@code Authorization: Bearer} header, or none if it is null.
   */
  void open(
      String client,
      String run,
      String url,
      List<String> types,
      String token,
      ClientConnection connection) {
    connections.put(run, connection);
    Map<String, Object> command = new HashMap<>();
    command.putAll(Map.of("op", "open", "client", client, "run", run, "url", url, "types", types));
    if (token != null) {
      command.put("token", token);
    }
    send(command);
  }

  /** Replaces the token a connection sends from its next request on, and waits until it did. */
  void replaceToken(String run, String token) {
    CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
    replies.put("token:" + run, reply);
    send(Map.of("op", "token", "run", run, "token", token));
    try {
      reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node runner did not take the token of " + run, e);
    }
  }

  /** Asks the ready state of a connection. */
  ReadyState readyState(String run) throws Exception {
    String seq = Long.toString(sequence.incrementAndGet());
    CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
    replies.put(seq, reply);
    send(Map.of("op", "state", "run", run, "seq", seq));
    Map<String, Object> state = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return ReadyState.ofNumber(((Number) state.get("readyState")).longValue());
  }

  /** Closes a connection and waits until the runner confirmed it. */
  void close(String run) {
    CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
    replies.put("closed:" + run, reply);
    send(Map.of("op", "close", "run", run));
    try {
      reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The runner died or is slow: the scenario's result already shows it.
    }
    connections.remove(run);
  }

  /** Returns what the runner wrote to stderr (the last few KiB). */
  String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void send(Map<String, Object> command) {
    byte[] line = (json.toJson(command).replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (writeLock) {
      try {
        stdin.write(line);
        stdin.flush();
      } catch (IOException e) {
        throw new IllegalStateException("node runner is gone: " + stderr(), e);
      }
    }
  }

  private void readObservations() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        dispatch(json.toType(line, Map.class));
      }
    } catch (IOException e) {
      // The process ended.
    }
    ready.completeExceptionally(new IllegalStateException("node runner ended"));
  }

  @SuppressWarnings("unchecked")
  private void dispatch(Map<?, ?> raw) {
    Map<String, Object> message = (Map<String, Object>) raw;
    String kind = String.valueOf(message.get("kind"));
    String run = (String) message.get("run");
    switch (kind) {
      case "ready":
        ready.complete(message);
        return;
      case "state":
        complete(String.valueOf(message.get("seq")), message);
        return;
      case "closed":
        complete("closed:" + run, message);
        return;
      case "token":
        complete("token:" + run, message);
        return;
      case "fatal":
        appendStderr("runner: " + message.get("detail") + "\n");
        return;
      default:
        break;
    }
    ClientConnection connection = run == null ? null : connections.get(run);
    if (connection == null) {
      return;
    }
    switch (kind) {
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
            Observation.error(
                "error event, readyState "
                    + message.get("readyState")
                    + (message.get("detail") == null || "".equals(message.get("detail"))
                        ? ""
                        : ": " + message.get("detail"))));
    }
  }

  private void complete(String key, Map<String, Object> message) {
    CompletableFuture<Map<String, Object>> reply = replies.remove(key);
    if (reply != null) {
      reply.complete(message);
    }
  }

  private void readStderr() {
    try (InputStream in = process.getErrorStream()) {
      byte[] buffer = new byte[1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        appendStderr(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private void appendStderr(String text) {
    synchronized (stderr) {
      stderr.append(text);
      if (stderr.length() > MAX_STDERR_CHARS) {
        stderr.delete(0, stderr.length() - MAX_STDERR_CHARS);
      }
    }
  }

  private static void installPackages(Path nodeDir)
      throws ClientUnavailableException, InterruptedException {
    Path lock = nodeDir.resolve("package-lock.json");
    Path installed = nodeDir.resolve("node_modules/.package-lock.json");
    try {
      if (Files.exists(installed)
          && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
        return;
      }
    } catch (IOException e) {
      throw new ClientUnavailableException("cannot read " + lock, e);
    }
    run(nodeDir, NPM_CI_TIMEOUT, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
  }

  /** Runs a command to completion and returns its output; throws if it fails or cannot start. */
  private static String run(Path dir, Duration timeout, String... command)
      throws ClientUnavailableException, InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ClientUnavailableException(
          command[0] + " is not installed (" + e.getMessage() + ")", e);
    }
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "";
              }
            });
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new ClientUnavailableException(
          String.join(" ", command) + " timed out after " + timeout);
    }
    String text = output.join();
    if (process.exitValue() != 0) {
      throw new ClientUnavailableException(
          String.join(" ", command)
              + " in "
              + dir
              + " failed with exit code "
              + process.exitValue()
              + ":\n"
              + text);
    }
    return text;
  }
}
