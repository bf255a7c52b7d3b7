package org.ssekit.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.ThreadFactoryProvider;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.ssekit.internal.HubThreads;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisUnavailableException;

/**
 * Owns the log's Lettuce resources: the client (a {@link RedisClient}, or a {@link
 * RedisClusterClient} on a cluster), its threads, and two connections ({@link RedisLink}s, the same
 * interfaces for both clients). The command connection carries appends, replay lookups and
 * closings, shared by every thread; the reader connection carries only the {@link StreamReader}'s
 * blocking reads. Both reject commands while disconnected and never retry them, and reconnect by
 * themselves.
 *
 * <p>On a cluster, Lettuce routes each command to the master of the log's one slot, and follows a
 * failover: it refreshes its view of the cluster when a node's connection keeps failing, on a
 * {@code MOVED} or {@code ASK} redirection, on an unknown node or an uncovered slot (each trigger
 * at most once per {@value #ADAPTIVE_REFRESH_MILLIS} ms), and every {@value
 * #PERIODIC_REFRESH_SECONDS} s regardless. Until then, commands to the failed master fail at once.
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

  /** The least time between two topology refreshes that the same adaptive trigger starts. */
  static final long ADAPTIVE_REFRESH_MILLIS = 500;

  /** The period of the cluster's topology refresh, whatever happens. */
  static final long PERIODIC_REFRESH_SECONDS = 5;

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final RedisLink commands;
  private final RedisLink reader;
  private final long timeoutMillis;

  private RedisConnections(
      ClientResources resources,
      AbstractRedisClient client,
      RedisLink commands,
      RedisLink reader,
      long timeoutMillis) {
    this.resources = resources;
    this.client = client;
    this.commands = commands;
    this.reader = reader;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Connects to the Redis (or the Redis Cluster) of {@code config} and caches the log's scripts
   * there.
   *
   * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
   * @throws IllegalStateException if Redis refuses the setup (a password or ACL problem, or Lua
   *     scripting disabled)
   */
  static RedisConnections open(RedisEventLog.Config config) {
    Duration timeout = config.commandTimeout();
    long timeoutMillis = timeout.toMillis();
    List<RedisURI> uris = config.seeds();
    uris.forEach(uri -> uri.setTimeout(timeout));
    ClientResources resources =
        ClientResources.builder()
            .threadFactoryProvider(new LettuceThreads("ssekit-redis-" + config.name()))
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    ClientOptions options = options(timeout, config.readBlock().toMillis());
    AbstractRedisClient client;
    Supplier<RedisLink> connector;
    if (config.cluster()) {
      RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
      cluster.setOptions(
          ClusterClientOptions.builder(options)
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enableAllAdaptiveRefreshTriggers()
                      // The default, 5 attempts, and 30 s between refreshes would leave the log's
                      // slot on a dead master for many seconds after its replica took over.
                      .refreshTriggersReconnectAttempts(1)
                      .adaptiveRefreshTriggersTimeout(Duration.ofMillis(ADAPTIVE_REFRESH_MILLIS))
                      .enablePeriodicRefresh(Duration.ofSeconds(PERIODIC_REFRESH_SECONDS))
                      .build())
              .build());
      client = cluster;
      connector =
          () -> {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            return new RedisLink(c, c.async());
          };
    } else {
      RedisClient standalone = RedisClient.create(resources, uris.get(0));
      standalone.setOptions(options);
      client = standalone;
      connector =
          () -> {
            StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8);
            return new RedisLink(c, c.async());
          };
    }
    RedisLink commands = null;
    RedisLink reader = null;
    try {
      commands = connector.get();
      reader = connector.get();
      if (config.cluster()) {
        // Not SCRIPT LOAD: Lettuce sends it to every node, and fails if one is down; the scripts
        // are cached on the slot's master at their first use (and again after a failover).
        String key = TopicKeys.of(config.keyPrefix(), true).log();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        awaitSlotMaster(commands, key, deadline);
        awaitSlotMaster(reader, key, deadline);
      } else {
        // Cached up front, so that a burst of first appends does not all miss the cache; a Redis
        // that restarts forgets them, and each script then falls back to EVAL once.
        for (Scripts.Script script : Scripts.ALL) {
          commands.async().scriptLoad(script.text()).get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
      }
    } catch (RuntimeException | ExecutionException | TimeoutException e) {
      closeQuietly(reader);
      closeQuietly(commands);
      shutDown(client, resources, timeoutMillis);
      throw RedisFailures.connectFailed(
          LogSettings.endpoint(config), timeoutMillis, RedisFailures.unwrapped(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(reader);
      closeQuietly(commands);
      shutDown(client, resources, timeoutMillis);
      throw new RedisUnavailableException("interrupted while connecting", e, false);
    }
    return new RedisConnections(resources, client, commands, reader, timeoutMillis);
  }

  /**
   * Waits until {@code link} has connected to the master of {@code key}'s slot, and checks there
   * that Redis runs the log's scripts (a Lua script on the key). Lettuce connects to a cluster's
   * nodes on their first command, and rejects the commands sent while it connects (as it is told
   * to): without this, the first appends after the start would fail.
   */
  private static void awaitSlotMaster(RedisLink link, String key, long deadlineNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      long remaining = deadlineNanos - System.nanoTime();
      try {
        link.async()
            .eval("return redis.call('EXISTS', KEYS[1])", ScriptOutputType.INTEGER, key)
            .get(Math.max(1, remaining), TimeUnit.NANOSECONDS);
        return;
      } catch (ExecutionException e) {
        if (remaining <= 0 || !String.valueOf(e.getCause()).contains("Commands are rejected")) {
          throw e;
        }
        Thread.sleep(5);
      }
    }
  }

  /**
   * Returns the options of either client: never queue commands while disconnected, and fail those
   * in flight when the connection drops, so that an append either fails at once or may have been
   * executed, but is never sent twice; a blocking read takes its block time on top of {@code
   * timeout}.
   */
  private static ClientOptions options(Duration timeout, long blockMillis) {
    long timeoutMillis = timeout.toMillis();
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
        .timeoutOptions(
            TimeoutOptions.builder()
                .timeoutSource(
                    new TimeoutOptions.TimeoutSource() {
                      @Override
                      public long getTimeout(RedisCommand<?, ?, ?> command) {
                        return command != null && command.getType() == CommandType.XREAD
                            ? blockMillis + timeoutMillis
                            : timeoutMillis;
                      }
                    })
                .build())
        .build();
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
  RedisLink commands() {
    return commands;
  }

  /** Returns the connection for the reader's blocking reads. */
  RedisLink reader() {
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
   * Arranges for {@code reconnected} to be called each time the reader connection is connected
   * again after it dropped (not for its first connect), and returns what the reader must call when
   * a read succeeds after reads failed. On a standalone Redis, Lettuce tells of the reconnect, on
   * one of its threads, and the returned action does nothing; on a cluster, the reader's node
   * connections are Lettuce's own, so the returned action is {@code reconnected}. It must be fast
   * and must not throw.
   */
  Runnable onReaderReconnected(Runnable reconnected) {
    if (client instanceof RedisClusterClient) {
      return reconnected;
    }
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == reader.connection()) {
              reconnected.run();
            }
          }
        });
    return () -> {};
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

  private static void closeQuietly(RedisLink link) {
    if (link == null) {
      return;
    }
    try {
      link.connection().close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED while closing a connection", e);
    }
  }

  private static void shutDown(
      AbstractRedisClient client, ClientResources resources, long timeoutMillis) {
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
