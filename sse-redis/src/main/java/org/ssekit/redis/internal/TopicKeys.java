package org.ssekit.redis.internal;

/**
 * The Redis keys of a topic: its stream {@code <prefix>{<topic>}} and its meta hash {@code
 * <prefix>{<topic>}:m} (epoch, event count, newest entry, closed flag). The braces make the topic a
 * Redis Cluster hash tag, so that the scripts' two keys share a slot.
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

  /** Returns the keys a script works on: the stream, then the meta hash. */
  String[] scriptKeys(String topic) {
    String stream = stream(topic);
    return new String[] {stream, stream + ":m"};
  }
}
