package org.ssekit.samples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.ssekit.Cors;

/**
 * How to run a {@link ChatServer}.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param host the address to listen on, such as {@code 127.0.0.1}
 * @param port the port to listen on; 0 picks a free one
 * @param keepAlive how long a stream may be idle before a keep-alive comment is sent
 * @param server the servlet container to embed
 * @param testHooks whether {@code POST /admin/drop} is enabled
 * @param redisUri the Redis that rooms are shared through (as {@code redis://host:port}), or null
 *     to keep rooms in this process
 * @param tls whether to listen with TLS (a self-signed certificate generated at start) and offer
 *     HTTP/2 and HTTP/1.1 by ALPN, instead of plain HTTP/1.1
 * @param sessionLifetime how long a login's session cookie is valid; a stream of a logged-in user
 *     ends then
 * @param allowedOrigins the origins ({@code scheme://host[:port]}) whose pages may read the streams
 *     and post with credentials (CORS); empty for none
 * @param sessionSecretFile the file whose bytes sign the session cookies ({@link SessionKey}: at
 *     least 32), shared by every node behind one address so that each verifies the cookies of all;
 *     null for a random key of this process alone
 */
public record ChatOptions(
    String host,
    int port,
    Duration keepAlive,
    ServerKind server,
    boolean testHooks,
    String redisUri,
    boolean tls,
    Duration sessionLifetime,
    List<String> allowedOrigins,
    Path sessionSecretFile) {
  /**
   * Checks the options.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code port} is not in 0-65535, {@code keepAlive} or {@code
   *     sessionLifetime} is not positive, or an allowed origin is not {@code scheme://host[:port]}
   */
  public ChatOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(sessionLifetime, "sessionLifetime");
    allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
    if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
      throw new IllegalArgumentException("sessionLifetime <= 0: " + sessionLifetime);
    }
    for (String origin : allowedOrigins) {
      if (origin.equals(Cors.ANY_ORIGIN)) {
        // Credentials are always allowed: browsers refuse * with them.
        throw new IllegalArgumentException(
            "allowedOrigins must list exact origins, not *, as the chat's requests carry cookies");
      }
      Cors.builder().allowOrigin(origin); // its rule and message: scheme://host[:port]
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port not in 0-65535: " + port);
    }
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive <= 0: " + keepAlive);
    }
  }

  /**
   * Returns the defaults of the command line: {@code 127.0.0.1:8080}, 15 s keep-alive, Jetty, no
   * hooks, no Redis, plain HTTP, sessions of one hour, no other origin allowed, a random session
   * key.
   */
  public static ChatOptions defaults() {
    return new ChatOptions(
        "127.0.0.1",
        8080,
        Duration.ofSeconds(15),
        ServerKind.JETTY,
        false,
        null,
        false,
        Duration.ofHours(1),
        List.of(),
        null);
  }

  /** Returns these options on {@code port}. */
  public ChatOptions withPort(int port) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /** Returns these options on {@code server}. */
  public ChatOptions withServer(ServerKind server) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /** Returns these options with the test hooks enabled or not. */
  public ChatOptions withTestHooks(boolean testHooks) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /** Returns these options with {@code keepAlive}. */
  public ChatOptions withKeepAlive(Duration keepAlive) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /**
   * Returns these options sharing rooms through the Redis at {@code redisUri}, or not when null.
   */
  public ChatOptions withRedis(String redisUri) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /**
   * Returns these options with TLS and HTTP/2 or not: with {@code tls}, the server generates a
   * self-signed certificate at start.
   */
  public ChatOptions withTls(boolean tls) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /** Returns these options with sessions that last {@code sessionLifetime}. */
  public ChatOptions withSessionLifetime(Duration sessionLifetime) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /** Returns these options allowing exactly {@code allowedOrigins} (CORS with credentials). */
  public ChatOptions withAllowedOrigins(List<String> allowedOrigins) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }

  /**
   * Returns these options signing sessions with the key in {@code sessionSecretFile} (read when the
   * server starts), or with a random key of the process when null.
   */
  public ChatOptions withSessionSecretFile(Path sessionSecretFile) {
    return new ChatOptions(
        host,
        port,
        keepAlive,
        server,
        testHooks,
        redisUri,
        tls,
        sessionLifetime,
        allowedOrigins,
        sessionSecretFile);
  }
}
