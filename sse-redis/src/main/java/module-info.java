/**
 * ssekit on Redis Streams: an {@link org.ssekit.EventLog} that several server nodes share, so that
 * a publish on one node reaches subscribers on every node and a client may reconnect to any node.
 */
@SuppressWarnings("requires-transitive-automatic") // Lettuce ships no module descriptor
module org.ssekit.redis {
  requires transitive org.ssekit;
  // RedisURI appears in RedisEventLog.builder(RedisURI) and RedisEventLog.Config.uri().
  requires transitive lettuce.core;

  exports org.ssekit.redis;
}
