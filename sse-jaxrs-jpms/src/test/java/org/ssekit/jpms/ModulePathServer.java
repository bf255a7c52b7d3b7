package org.ssekit.jpms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link NewsServer} in a child JVM started with {@code --module-path} and {@code -m}: the
 * application's classes, its dependencies and one JAX-RS implementation are modules there, and
 * nothing is on the class path. Closing it ends the child (its standard input closes).
 */
final class ModulePathServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

  /** A JAX-RS implementation: its servlet, its module path file and the modules to add. */
  enum Implementation {
    JERSEY(
        "org.glassfish.jersey.servlet.ServletContainer",
        "jersey.txt",
        // Nothing requires Jersey's servlet module (the servlet is named at run time): add it.
        "org.glassfish.jersey.container.servlet"),
    RESTEASY(
        "org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher",
        "resteasy.txt",
        // resteasy-core 7.0 is an automatic module: it declares no requires, so the explicit
        // modules it uses (jboss-logging, jakarta.annotation...) are resolved only when added.
        "ALL-MODULE-PATH");

    final String servlet;
    final String modulePathFile;
    final String addModules;

    Implementation(String servlet, String modulePathFile, String addModules) {
      this.servlet = servlet;
      this.modulePathFile = modulePathFile;
      this.addModules = addModules;
    }
  }

  private final Process process;
  private final List<String> output = new ArrayList<>(); // @GuardedBy("output")
  private final int port;

  private ModulePathServer(Process process, Duration timeout) throws Exception {
    this.process = process;
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  Matcher matcher = LISTENING.matcher(line);
                  if (matcher.matches()) {
                    listening.complete(Integer.parseInt(matcher.group(1)));
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(
                  new IllegalStateException("the server ended before listening:\n" + output()));
            },
            "module-path-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      port = listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("not listening after " + timeout + ":\n" + output(), e);
    }
  }

  /** Starts the server in a child JVM on {@code implementation}'s module path. */
  static ModulePathServer start(Implementation implementation) throws Exception {
    Path target = Path.of(System.getProperty("ssekit.jpms.target", "target"));
    String modulePath =
        String.join(
            java.io.File.pathSeparator,
            target.resolve("classes").toString(),
            read(target.resolve("module-path/application.txt")),
            read(target.resolve("module-path/" + implementation.modulePathFile)));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "--module-path",
            modulePath,
            "--add-modules",
            implementation.addModules,
            "-m",
            "org.ssekit.jpms/org.ssekit.jpms.NewsServer",
            implementation.servlet);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ModulePathServer(process, Duration.ofSeconds(60));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "no " + file + ": run the build's generate-test-resources phase (mvn verify does)", e);
    }
  }

  int port() {
    return port;
  }

  /** Everything the child printed so far, standard error included. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not stop:\n" + output());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
