package org.ssekit.redis.internal;

/**
 * The Redis keys of the log. Each topic has its stream {@code <prefix>{<topic>}} and its meta hash
 * {@code <prefix>{<topic>}:m} (epoch, event count, newest entry, closed flag); the braces make the
 * topic a Redis Cluster hash tag, so that a topic's two keys share a slot. The whole log has one
 * index stream {@code <prefix>log}, which holds every event and closing of every topic in the one
 * log-wide order, its entry counter {@code <prefix>log:n} and its loss mark {@code
 * <prefix>log:lost} (see {@link Scripts#LOSS_MARK}); and one control stream {@code <prefix>ctl}. No
 * topic key can be a log key: the prefix holds no brace, and every topic key does.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param prefix the configured key prefix, without braces
 */
record TopicKeys(String prefix) {
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
