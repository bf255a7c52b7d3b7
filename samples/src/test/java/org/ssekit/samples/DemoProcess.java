package org.ssekit.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged demo jar running in its own JVM, as a user starts it: {@code java -jar
 * ssekit-samples.jar ...}. Its output (stdout and stderr, merged) is kept in memory and copied to a
 * log file.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class DemoProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+/)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<URI> listening = new CompletableFuture<>();

  private DemoProcess(Process process, Path logFile) throws IOException {
    this.process = process;
    Files.createDirectories(logFile.getParent());
    PrintWriter log =
        new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  log.println(line);
                  Matcher matcher = LISTENING.matcher(line);
                  if (matcher.find()) {
                    listening.complete(URI.create(matcher.group(1)));
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              } finally {
                log.close();
                listening.completeExceptionally(
                    new IllegalStateException("demo exited before listening: " + output));
              }
            },
            "demo-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Returns the packaged jar, as failsafe passes it (tests run after {@code package}). */
  static Path jar() {
    Path jar = Path.of(System.getProperty("ssekit.samples.jar", "target/ssekit-samples.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no packaged demo at " + jar.toAbsolutePath() + ": run mvn verify");
    }
    return jar;
  }

  /** Returns the directory for screenshots and logs, under {@code target/}. */
  static Path outputDir(String name) {
    return Path.of(System.getProperty("ssekit.samples.outputDir", "target")).resolve(name);
  }

  /**
   * Runs {@code java -jar} on the packaged demo with {@code args}, without waiting for it to
   * listen.
   */
  static DemoProcess launch(Path logFile, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new DemoProcess(process, logFile);
  }

  /** Runs the demo with {@code args} and waits until it logs where it listens. */
  static DemoProcess start(Path logFile, String... args) throws Exception {
    DemoProcess demo = launch(logFile, args);
    try {
      demo.listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      demo.close();
      throw new IllegalStateException("demo did not start: " + demo.output(), e);
    }
    return demo;
  }

  /** Returns the page's address, from the line the demo logged. */
  URI uri() {
    return listening.join();
  }

  /** Returns the lines the demo printed so far. */
  List<String> output() {
    return List.copyOf(output);
  }

  /**
   * Sends SIGTERM (what Ctrl-C's SIGINT also triggers: the JVM's shutdown hooks) and waits for the
   * exit.
   *
   * @return the exit code
   */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "demo did not stop within " + timeout + " after SIGTERM: " + output());
    }
    return process.exitValue();
  }

  /** Waits for the demo to exit by itself and returns the exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("demo did not exit within " + timeout + ": " + output());
    }
    return process.exitValue();
  }

  /** Stops the demo if it still runs: SIGTERM, then SIGKILL after 15 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
