package org.ssekit.internal;

import java.util.Objects;

/**
 * The topic-name rule, in one place for the hub, the adapters and the logs: 1 to {@value
 * #MAX_TOPIC_CHARS} chars of well-formed UTF-16 (so that every name encodes to UTF-8 without loss).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class TopicNames {
  /** The longest topic name, in chars. */
  public static final int MAX_TOPIC_CHARS = 1024;

  private TopicNames() {}

  /**
   * Requires that {@code topic} is a valid topic name.
   *
   * @return {@code topic}
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if it is empty, longer than {@value #MAX_TOPIC_CHARS} chars or
   *     holds an unpaired surrogate; the message names the rule, never the name itself
   */
  public static String requireValid(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (topic.isEmpty() || topic.length() > MAX_TOPIC_CHARS) {
      throw new IllegalArgumentException(
          "topic must be 1-" + MAX_TOPIC_CHARS + " chars: length " + topic.length());
    }
    FieldChecks.requireWellFormed("topic", topic);
    return topic;
  }
}
