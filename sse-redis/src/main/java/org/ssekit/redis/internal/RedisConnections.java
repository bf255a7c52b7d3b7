package org.ssekit.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.ThreadFactoryProvider;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.internal.HubThreads;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisUnavailableException;

/**
 * Owns the log's Lettuce resources: the client, its threads, and two connections. The command
 * connection carries appends, replay lookups and closings, shared by every thread; the reader
 * connection carries only the {@link StreamReader}'s blocking reads. Both reject commands while
 * disconnected and never retry them, and reconnect by themselves.
 *
 * <p>The client's threads are daemons named {@code ssekit-redis-<name>-<pool>-<n>}, pool being
 * {@code io}, {@code exec} or {@code timer}.
 *
 * <p><b>Lifecycle:</b> {@link #open} connects; {@link #closeReaderConnection()} ends a read blocked
 * in Redis; {@link #close()} closes the rest and stops every client thread.
 *
 * <p>Public only for {@link #endpoint}, which the API package uses to describe settings.
 *
 * <p><b>Thread safety:</b> thread-safe: its fields are final, and Lettuce's connections are
 * thread-safe.
 */
public final class RedisConnections {
  private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisConnection<String, String> reader;
  private final long timeoutMillis;

  private RedisConnections(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> commands,
      StatefulRedisConnection<String, String> reader,
      long timeoutMillis) {
    this.resources = resources;
    this.client = client;
    this.commands = commands;
    this.reader = reader;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Connects to the Redis of {@code config} and caches the log's scripts there.
   *
   * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
   * @throws IllegalStateException if Redis refuses the setup (a password or ACL problem, or Lua
   *     scripting disabled)
   */
  static RedisConnections open(RedisEventLog.Config config) {
    RedisURI uri = config.uri();
    Duration timeout = config.commandTimeout();
    long timeoutMillis = timeout.toMillis();
    long blockMillis = config.readBlock().toMillis();
    uri.setTimeout(timeout);
    ClientResources resources =
        ClientResources.builder()
            .threadFactoryProvider(new LettuceThreads("ssekit-redis-" + config.name()))
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Never queue commands while disconnected, and fail those in flight when the connection
            // drops: an append either fails at once or may have been executed, but is never sent
            // twice.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
            .timeoutOptions(
                TimeoutOptions.builder()
                    .timeoutSource(
                        new TimeoutOptions.TimeoutSource() {
                          @Override
                          public long getTimeout(RedisCommand<?, ?, ?> command) {
                            // A blocking read takes its block time on top of the command timeout.
                            return command != null && command.getType() == CommandType.XREAD
                                ? blockMillis + timeoutMillis
                                : timeoutMillis;
                          }
                        })
                    .build())
            .build());
    StatefulRedisConnection<String, String> commands = null;
    StatefulRedisConnection<String, String> reader = null;
    try {
      commands = client.connect(StringCodec.UTF8);
      reader = client.connect(StringCodec.UTF8);
      // Cached up front, so that a burst of first appends does not all miss the cache; a Redis that
      // restarts forgets them, and each script then falls back to EVAL once.
      for (Scripts.Script script : Scripts.ALL) {
        commands.sync().scriptLoad(script.text());
      }
    } catch (RuntimeException e) {
      closeQuietly(reader);
      closeQuietly(commands);
      shutDown(client, resources, timeoutMillis);
      throw RedisFailures.connectFailed(endpoint(uri), timeoutMillis, e);
    }
    return new RedisConnections(resources, client, commands, reader, timeoutMillis);
  }

  /**
   * Describes where {@code uri} points, without credentials: {@code host:port}, a socket or a
   * sentinel.
   */
  public static String endpoint(RedisURI uri) {
    if (uri.getHost() != null) {
      return uri.getHost() + ":" + uri.getPort();
    }
    if (uri.getSocket() != null) {
      return uri.getSocket();
    }
    return "sentinel master " + uri.getSentinelMasterId();
  }

  /** Returns the connection for every command but the blocking reads. */
  StatefulRedisConnection<String, String> commands() {
    return commands;
  }

  /** Returns the connection for the reader's blocking reads. */
  StatefulRedisConnection<String, String> reader() {
    return reader;
  }

  /**
   * Returns the client's executor for completions that must not run on the reader thread nor on an
   * I/O thread.
   */
  Executor completions() {
    return resources.eventExecutorGroup();
  }

  /**
   * Calls {@code reconnected} each time the reader connection is connected again after it dropped
   * (not for its first connect), on a Lettuce thread; it must be fast and must not throw.
   */
  void onReaderReconnected(Runnable reconnected) {
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == reader) {
              reconnected.run();
            }
          }
        });
  }

  /** Closes the reader connection, which ends a read blocked in Redis. */
  void closeReaderConnection() {
    closeQuietly(reader);
  }

  /** Closes the command connection and stops the client's threads; call after the reader ended. */
  void close() {
    closeQuietly(commands);
    shutDown(client, resources, timeoutMillis);
  }

  private static void closeQuietly(StatefulRedisConnection<String, String> connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED while closing a connection", e);
    }
  }

  private static void shutDown(RedisClient client, ClientResources resources, long timeoutMillis) {
    try {
      client.shutdown(Duration.ZERO, Duration.ofMillis(timeoutMillis));
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "redis client did not shut down cleanly", e);
    }
    try {
      // Typed as the JDK's Future: Netty's, which it is, is not readable from this module.
      java.util.concurrent.Future<?> done =
          resources.shutdown(0, timeoutMillis, TimeUnit.MILLISECONDS);
      done.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.log(Level.DEBUG, "redis client resources did not shut down cleanly", e);
    }
  }

  /**
   * Names the client's threads {@code <prefix>-<pool>-<n>}, as daemons, with the core's one thread
   * factory.
   */
  private static final class LettuceThreads implements ThreadFactoryProvider {
    private final String prefix;

    LettuceThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public ThreadFactory getThreadFactory(String poolName) {
      String pool =
          poolName.contains("EventLoop")
              ? "io"
              : poolName.contains("eventExecutor")
                  ? "exec"
                  : poolName.contains("timer") ? "timer" : poolName.replace("lettuce-", "");
      return HubThreads.daemonFactory(prefix + "-" + pool);
    }
  }
}
