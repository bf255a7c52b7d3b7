package org.ssekit.samples;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import org.ssekit.redis.RedisUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of the chat demo: {@code java -jar ssekit-samples.jar [--port N] [--host
 * ADDRESS] [--keepalive-seconds N] [--server jetty|tomcat] [--redis URI] [--tls] [--session-seconds
 * N] [--session-secret-file PATH] [--allow-origin ORIGIN]... [--test-hooks]}. Runs until Ctrl-C (or
 * SIGTERM), which closes the hub first, so every stream gets a jittered {@code retry:} and ends,
 * and then stops the container.
 */
@Command(
    name = "ssekit-samples",
    mixinStandardHelpOptions = true,
    version = "ssekit samples 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Runs the ssekit chat demo: open the printed address in a browser.")
public final class ChatDemo implements Callable<Integer> {
  private static final String LOGGING_CONFIG = "/org/ssekit/samples/logging.properties";

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "N",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--keepalive-seconds",
      defaultValue = "15",
      paramLabel = "N",
      description =
          "Seconds a stream may be idle before a keep-alive comment is sent (default: ${DEFAULT-VALUE}).")
  long keepAliveSeconds;

  @Option(
      names = "--server",
      defaultValue = "jetty",
      paramLabel = "jetty|tomcat",
      description = "Servlet container to embed: jetty or tomcat (default: ${DEFAULT-VALUE}).")
  ServerKind server;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      description =
          "Share rooms with other demo processes through Redis, e.g. redis://localhost:6379.")
  String redis;

  @Option(
      names = "--tls",
      description =
          "Listen with TLS (a self-signed certificate generated at start) and offer HTTP/2 and"
              + " HTTP/1.1 by ALPN: browsers speak HTTP/2 only over TLS.")
  boolean tls;

  @Option(
      names = "--session-seconds",
      defaultValue = "3600",
      paramLabel = "N",
      description =
          "Seconds a login lasts; a logged-in user's stream ends then (default: ${DEFAULT-VALUE}).")
  long sessionSeconds;

  @Option(
      names = "--session-secret-file",
      paramLabel = "PATH",
      description =
          "File whose bytes (32-4096, e.g. from head -c 32 /dev/urandom) sign the session cookies;"
              + " give every node behind one address the same file (and --redis), so that each"
              + " accepts the logins of all (default: a random key per process).")
  Path sessionSecretFile;

  @Option(
      names = "--allow-origin",
      paramLabel = "ORIGIN",
      description =
          "Let pages of ORIGIN (scheme://host[:port]) use the streams and posts with credentials"
              + " (CORS); repeatable.")
  List<String> allowOrigins = new ArrayList<>();

  @Option(
      names = "--test-hooks",
      description =
          "Enable POST /admin/drop?room=R, which ends a room's streams so that clients reconnect.")
  boolean testHooks;

  /** Runs the demo; exits with 0 after Ctrl-C, 1 if the server cannot start, 2 on a bad option. */
  public static void main(String[] args) {
    configureLogging();
    int exitCode =
        new CommandLine(new ChatDemo()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new ParameterException(spec.commandLine(), "--port not in 0-65535: " + port);
    }
    if (keepAliveSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--keepalive-seconds < 1: " + keepAliveSeconds);
    }
    if (sessionSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--session-seconds < 1: " + sessionSeconds);
    }
    ChatOptions options;
    try {
      options =
          new ChatOptions(
              host,
              port,
              Duration.ofSeconds(keepAliveSeconds),
              server,
              testHooks,
              redis,
              tls,
              Duration.ofSeconds(sessionSeconds),
              allowOrigins,
              sessionSecretFile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ChatServer chat;
    try {
      chat = ChatServer.start(options);
    } catch (RedisUnavailableException e) {
      System.err.println("cannot reach Redis: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (Exception e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException) {
          System.err.println("cannot listen on " + host + ":" + port + ": " + cause.getMessage());
          return 1;
        }
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(chat::close, "chat-shutdown"));
    while (!chat.awaitClosed(1, TimeUnit.HOURS)) {
      // Runs until the shutdown hook closes the server; the containers' threads may be daemons.
    }
    return 0;
  }

  /** Applies the demo's logging configuration unless the user gave one. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    try (InputStream config = ChatDemo.class.getResourceAsStream(LOGGING_CONFIG)) {
      if (config != null) {
        LogManager.getLogManager().readConfiguration(config);
      }
    } catch (IOException e) {
      System.err.println("cannot read " + LOGGING_CONFIG + ": " + e);
    }
  }
}
