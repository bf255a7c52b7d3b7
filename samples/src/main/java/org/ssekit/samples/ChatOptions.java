package org.ssekit.samples;

import java.time.Duration;
import java.util.Objects;

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
 */
public record ChatOptions(
    String host,
    int port,
    Duration keepAlive,
    ServerKind server,
    boolean testHooks,
    String redisUri,
    boolean tls) {
  /**
   * Checks the options.
   *
   * @throws NullPointerException if a component is null
   * @throws IllegalArgumentException if {@code port} is not in 0-65535 or {@code keepAlive} is not
   *     positive
   */
  public ChatOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(server, "server");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port not in 0-65535: " + port);
    }
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive <= 0: " + keepAlive);
    }
  }

  /**
   * Returns the defaults of the command line: {@code 127.0.0.1:8080}, 15 s keep-alive, Jetty, no
   * hooks, no Redis, plain HTTP.
   */
  public static ChatOptions defaults() {
    return new ChatOptions(
        "127.0.0.1", 8080, Duration.ofSeconds(15), ServerKind.JETTY, false, null, false);
  }

  /** Returns these options on {@code port}. */
  public ChatOptions withPort(int port) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }

  /** Returns these options on {@code server}. */
  public ChatOptions withServer(ServerKind server) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }

  /** Returns these options with the test hooks enabled or not. */
  public ChatOptions withTestHooks(boolean testHooks) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }

  /** Returns these options with {@code keepAlive}. */
  public ChatOptions withKeepAlive(Duration keepAlive) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }

  /**
   * Returns these options sharing rooms through the Redis at {@code redisUri}, or not when null.
   */
  public ChatOptions withRedis(String redisUri) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }

  /**
   * Returns these options with TLS and HTTP/2 or not: with {@code tls}, the server generates a
   * self-signed certificate at start.
   */
  public ChatOptions withTls(boolean tls) {
    return new ChatOptions(host, port, keepAlive, server, testHooks, redisUri, tls);
  }
}
