package org.ssekit.spring.internal;

import org.ssekit.redis.RedisEventLog;
import org.ssekit.spring.SsekitProperties;

/**
 * Builds the {@link RedisEventLog} of {@code ssekit.redis.*}. Loaded only when sse-redis is on the
 * class path.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class RedisLogs {
  private RedisLogs() {}

  /**
   * Connects a Redis log configured by {@code properties} (its retention is {@code
   * ssekit.retention.*}).
   *
   * @throws IllegalArgumentException naming the property whose value the builder refused
   * @throws org.ssekit.redis.RedisUnavailableException if Redis cannot be reached
   */
  public static RedisEventLog connect(SsekitProperties properties) {
    SsekitProperties.Redis settings = properties.getRedis();
    if (settings.getUri() == null) {
      throw new IllegalArgumentException("ssekit.redis.uri is not set");
    }
    RedisEventLog.Builder builder;
    try {
      builder = RedisEventLog.builder(settings.getUri());
    } catch (IllegalArgumentException e) {
      // The builder's message leaves the URI out (it may carry a password), and so does this one.
      throw PropertySettings.invalid("ssekit.redis.uri", e);
    }
    PropertySettings.set("ssekit.name", properties.getName(), builder::name);
    PropertySettings.set("ssekit.redis.key-prefix", settings.getKeyPrefix(), builder::keyPrefix);
    PropertySettings.set(
        "ssekit.redis.command-timeout", settings.getCommandTimeout(), builder::commandTimeout);
    PropertySettings.set(
        "ssekit.redis.closed-topic-ttl", settings.getClosedTopicTtl(), builder::closedTopicTtl);
    PropertySettings.set("ssekit.redis.read-block", settings.getReadBlock(), builder::readBlock);
    builder.retention(PropertySettings.retention(properties));
    return builder.build();
  }
}
