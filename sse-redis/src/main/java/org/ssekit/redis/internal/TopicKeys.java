package org.ssekit.redis.internal;

/**
 * The Redis keys of the log. Each topic has its stream {@code <prefix>{<topic>}} and its meta hash
 * {@code <prefix>{<topic>}:m} (epoch, event count, newest entry, closed flag). The whole log has
 * one index stream {@code <prefix>log}, which holds every event and closing of every topic in the
 * one log-wide order, its entry counter {@code <prefix>log:n} and its loss mark {@code
 * <prefix>log:lost} (see {@link Scripts#LOSS_MARK}); one control stream {@code <prefix>ctl}; and
 * the presence keys {@code <prefix>presence} and {@code <prefix>presence:<origin>} (see {@link
 * NodePresence}). No topic key can be a log key: after the prefix, every topic key starts with a
 * brace, and no log key does.
 *
 * <p>{@code <prefix>} is the configured key prefix, except on a Redis Cluster, where it is the
 * configured prefix in braces, {@code {sse:}}: a key's hash tag is its first braced part, so every
 * key of the log then hashes to the one slot of the prefix, and every script (each writes a topic's
 * keys and the log's index at once) runs on one node, as on a standalone Redis. The standalone
 * layout stays as it was, so that existing data stays readable.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param prefix what every key starts with: the configured prefix, braced on a cluster
 */
record TopicKeys(String prefix) {
  /** Returns the keys of a log with {@code keyPrefix}, on a Redis Cluster if {@code cluster}. */
  static TopicKeys of(String keyPrefix, boolean cluster) {
    return new TopicKeys(cluster ? "{" + keyPrefix + "}" : keyPrefix);
  }

  /** Returns the key of {@code topic}'s stream. */
  String stream(String topic) {
    return prefix + "{" + topic + "}";
  }

  /** Returns the key of the log's index stream. */
  String log() {
    return prefix + "log";
  }

  /**
   * Returns the key of the log's loss mark: the entry id before which Redis lost entries, so that
   * ids from before it are unknown (see {@link Scripts#LOSS_MARK}).
   */
  String lost() {
    return prefix + "log:lost";
  }

  /** Returns the key of the log's control stream (see {@link ControlChannel}). */
  String control() {
    return prefix + "ctl";
  }

  /**
   * Returns the keys a topic's script works on: the topic's stream and meta hash, then the log's
   * index stream, its counter and its loss mark.
   */
  String[] scriptKeys(String topic) {
    String stream = stream(topic);
    return new String[] {stream, stream + ":m", log(), log() + ":n", lost()};
  }
}
