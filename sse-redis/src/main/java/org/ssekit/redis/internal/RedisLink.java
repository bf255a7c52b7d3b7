package org.ssekit.redis.internal;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One of the log's two Lettuce connections, standalone (or Sentinel) or Redis Cluster alike: the
 * log issues every command through the interfaces both kinds share, {@link StatefulConnection} and
 * {@link RedisClusterAsyncCommands}, so that one copy of each command serves both. On a cluster,
 * Lettuce routes each command to the master of its first key's slot; every key of the log shares
 * one slot there (see {@link TopicKeys}).
 *
 * <p><b>Thread safety:</b> thread-safe, as Lettuce's connections are.
 *
 * @param connection the connection, for its state and closing
 * @param async its asynchronous commands
 */
record RedisLink(
    StatefulConnection<String, String> connection,
    RedisClusterAsyncCommands<String, String> async) {

  /**
   * Returns whether the connection is open. On a cluster this is the cluster connection's state,
   * not that of the node serving the log's slot: a command to a node that is down fails at once.
   */
  boolean isOpen() {
    return connection.isOpen();
  }
}
