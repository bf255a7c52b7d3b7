package org.ssekit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM (server or load client) spoken to one line at a time: a command on its standard
 * input, one answer line on its standard output. Its standard error goes to a log file.
 *
 * <p><b>Thread safety:</b> confined to the orchestrating thread.
 */
final class Proc implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  private final String name;
  private final Process process;
  private final PrintWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path log;

  Proc(String name, List<String> command, Path log) throws IOException {
    this.name = name;
    this.log = log;
    this.process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    this.in =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("READY") || line.startsWith("OK") || line.startsWith("ERR")) {
                    lines.add(line); // anything else is the JVM's own chatter (JFR, for one)
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              lines.add(EOF);
            },
            name + "-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Waits for the first line, which must start with {@code READY}, and returns its key=value pairs.
   */
  Map<String, String> ready(Duration timeout) throws IOException, InterruptedException {
    return parse(next(timeout, "READY"), "READY");
  }

  /** Sends {@code command} and returns the answer's key=value pairs. */
  Map<String, String> call(String command, Duration timeout)
      throws IOException, InterruptedException {
    in.println(command);
    return parse(next(timeout, command), "OK");
  }

  private String next(Duration timeout, String what) throws IOException, InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IOException(
          name + ": no answer to '" + what + "' within " + timeout + " (log: " + log + ")");
    }
    if (line.equals(EOF)) {
      lines.add(EOF);
      throw new IOException(
          name
              + " exited (code "
              + exitCode()
              + ") before answering '"
              + what
              + "' (log: "
              + log
              + ")");
    }
    return line;
  }

  private String exitCode() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS)
          ? Integer.toString(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private Map<String, String> parse(String line, String expected) throws IOException {
    String[] words = line.split(" ");
    if (!words[0].equals(expected)) {
      throw new IOException(name + " answered: " + line);
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 1; i < words.length; i++) {
      int eq = words[i].indexOf('=');
      if (eq > 0) {
        values.put(words[i].substring(0, eq), words[i].substring(eq + 1));
      }
    }
    return values;
  }

  /** Asks the process to quit, and kills it if it does not within a few seconds. */
  @Override
  public void close() {
    quit(Duration.ofSeconds(5));
  }

  /** Ends the process at once with {@code SIGKILL} ({@code kill -9}) and waits for it to go. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Asks the process to quit, and kills it if it has not within {@code grace} (a server that closes
   * thousands of streams gracefully needs longer than the default).
   */
  void quit(Duration grace) {
    try {
      in.println("quit");
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
