/**
 * ssekit on Redis Streams: {@link org.ssekit.redis.RedisEventLog} builds an {@link
 * org.ssekit.EventLog} that keeps every topic in a Redis stream, so that several server nodes share
 * topics, event ids and replay.
 *
 * <p>Every parameter and return value in this package is non-null unless documented as "or null".
 */
package org.ssekit.redis;
