package org.ssekit.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.ssekit.redis.RedisEventLog;

/**
 * Checks and describes the settings of {@link RedisEventLog}: parses its URIs (standalone,
 * Sentinel, or the seed nodes of a Redis Cluster), checks durations, and describes a {@link
 * RedisEventLog.Config} without credentials. Messages never repeat a URI: it may carry a password.
 *
 * <p>Public only for the API package, which builds the settings.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class LogSettings {
  private static final String SEEDS_RULE =
      "seeds must be redis:// or rediss:// URIs of Redis Cluster nodes, database 0"
          + " (redis://host1:7000,host2:7001)";

  private LogSettings() {}

  /**
   * Parses a standalone or Sentinel URI.
   *
   * @throws IllegalArgumentException if {@code uri} is not a Redis URI
   */
  public static RedisURI uri(String uri) {
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      // The cause is left out on purpose: its message repeats the URI, which may carry a password.
      throw new IllegalArgumentException(
          "uri is not a Redis URI (redis://host:port, rediss://..., redis-sentinel://...): "
              + e.getClass().getSimpleName());
    }
  }

  /**
   * Parses the seed nodes of a Redis Cluster, {@code redis://host1:7000,host2:7001} (credentials
   * and options of the first apply to all, as in Lettuce's {@code RedisClusterClient}).
   *
   * @throws IllegalArgumentException if {@code seeds} is not such a URI
   */
  public static List<RedisURI> seeds(String seeds) {
    List<RedisURI> parsed;
    try {
      URI uri = URI.create(seeds);
      // Checked first: Lettuce's parser fails on other schemes with a NullPointerException.
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
        throw new IllegalArgumentException(SEEDS_RULE + ": the scheme is " + uri.getScheme());
      }
      String path = uri.getPath();
      if (path != null && !path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
        // Lettuce's parser ignores it; a cluster has only database 0.
        throw new IllegalArgumentException(SEEDS_RULE + ": it names a database");
      }
      parsed = RedisClusterURIUtil.toRedisURIs(uri);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(SEEDS_RULE)) {
        throw e;
      }
      throw new IllegalArgumentException(SEEDS_RULE + ": " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      // The cause is left out on purpose: its message may repeat the URI, and so a password.
      throw new IllegalArgumentException(SEEDS_RULE + ": " + e.getClass().getSimpleName());
    }
    return seeds(parsed);
  }

  /**
   * Checks and copies the seed nodes of a Redis Cluster.
   *
   * @throws NullPointerException if {@code seeds} or one of them is null
   * @throws IllegalArgumentException if {@code seeds} is empty, or a seed is a Sentinel or socket
   *     URI, or names a database other than 0 (a cluster has only database 0)
   */
  public static List<RedisURI> seeds(List<RedisURI> seeds) {
    Objects.requireNonNull(seeds, "seeds");
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException(SEEDS_RULE + ": no seed");
    }
    List<RedisURI> copies = new ArrayList<>(seeds.size());
    for (int i = 0; i < seeds.size(); i++) {
      RedisURI seed = Objects.requireNonNull(seeds.get(i), "seeds[" + i + "]");
      String problem =
          !seed.getSentinels().isEmpty()
              ? "is a Sentinel URI"
              : seed.getHost() == null
                  ? "has no host"
                  : seed.getDatabase() != 0 ? "has a database" : null;
      if (problem != null) {
        throw new IllegalArgumentException(SEEDS_RULE + ": seed " + i + " " + problem);
      }
      copies.add(RedisURI.builder(seed).build());
    }
    return List.copyOf(copies);
  }

  /**
   * Describes where the log's Redis is, without credentials: {@code host:port}, a socket, a
   * sentinel, or {@code cluster host1:port1,host2:port2}.
   */
  public static String endpoint(RedisEventLog.Config config) {
    if (!config.cluster()) {
      return RedisConnections.endpoint(config.uri());
    }
    return "cluster "
        + config.seeds().stream().map(RedisConnections::endpoint).collect(Collectors.joining(","));
  }

  /** Describes the settings; the URI is shown without credentials. */
  public static String describe(RedisEventLog.Config config) {
    return "{redis="
        + endpoint(config)
        + ", name="
        + config.name()
        + ", keyPrefix="
        + config.keyPrefix()
        + ", retention="
        + config.retention()
        + ", closedTopicTtl="
        + config.closedTopicTtl()
        + ", commandTimeout="
        + config.commandTimeout()
        + ", readBlock="
        + config.readBlock()
        + ", presenceLease="
        + config.presenceLease()
        + "}";
  }

  /**
   * Returns {@code value} if it lies in {@code [min, max]}.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException naming the setting {@code name} otherwise
   */
  public static Duration requireMillis(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(name + " < " + min.toMillis() + " ms: " + value);
    }
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + " > " + max + ": " + value);
    }
    return value;
  }
}
