package org.ssekit.internal;

import java.util.Objects;

/**
 * The topic-name and selection rules, in one place for the hub, the adapters and the logs.
 *
 * <p><b>Topic names</b> (publishing, closing, and subscribing to one topic): 1 to {@value
 * #MAX_TOPIC_CHARS} chars of well-formed UTF-16, so that every name encodes to UTF-8 without loss.
 * Any other char is allowed, {@code /} and {@code *} included: a name is taken literally. For
 * matching by selectors, a name is read as a path of segments separated by {@code /} ({@code
 * rooms/lobby} has the segments {@code rooms} and {@code lobby}).
 *
 * <p><b>Selection entries</b> (the topics and selectors of one stream) are names that are also
 * clean paths: no CR or LF, no empty segment (no leading, trailing or doubled {@code /}), and
 * {@code *} only as a whole segment. An entry with a wildcard segment is a <em>selector</em>:
 * {@code *} matches exactly one segment, {@code **} (last segment only) matches any number of
 * trailing segments, none included, so {@code users/42/**} matches {@code users/42} and everything
 * below it. Any other entry is an exact topic. A selection holds 1 to {@value
 * #MAX_SELECTION_ENTRIES} distinct entries; a hub may allow fewer per stream. Names that are not
 * clean paths (legacy names such as {@code a//b} or {@code a*}) can still be published to and
 * subscribed to on their own, and matched by a selector's {@code **}, but not named in a selection
 * of several entries.
 *
 * <p>Messages name the field, the rule and the index, never the name itself.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class TopicNames {
  /** The longest topic name or selection entry, in chars. */
  public static final int MAX_TOPIC_CHARS = 1024;

  /** The most entries (topics plus selectors) of one selection, whatever the hub allows. */
  public static final int MAX_SELECTION_ENTRIES = 1024;

  private static final String ONE = "*";
  private static final String ANY = "**";

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

  /**
   * Requires that {@code entry} is a valid selection entry, and tells whether it is a selector.
   *
   * @param field names the entry in messages, such as {@code selection entry 3}
   * @return true if it is a selector, false if it is an exact topic
   * @throws NullPointerException naming {@code field} if {@code entry} is null
   * @throws IllegalArgumentException naming {@code field}, the rule and the char index if it breaks
   *     a rule
   */
  public static boolean requireSelectionEntry(String field, String entry) {
    Objects.requireNonNull(entry, field);
    int n = entry.length();
    if (n == 0 || n > MAX_TOPIC_CHARS) {
      throw new IllegalArgumentException(
          field + " must be 1-" + MAX_TOPIC_CHARS + " chars: length " + n);
    }
    FieldChecks.requireSingleLine(field, entry, false);
    boolean selector = false;
    int start = 0;
    while (true) {
      int end = entry.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      if (end == start) {
        throw new IllegalArgumentException(
            field + " has an empty segment at " + start + ": paths are like rooms/lobby");
      }
      int star = entry.indexOf('*', start);
      if (star >= 0 && star < end) {
        int length = end - start;
        boolean whole = length == 1 || (length == 2 && entry.startsWith(ANY, start));
        if (!whole) {
          throw new IllegalArgumentException(
              field + " has * inside a segment at " + star + ": * and ** are whole segments");
        }
        if (length == 2 && end != n) {
          throw new IllegalArgumentException(
              field + " has ** before its last segment at " + start + ": ** must come last");
        }
        selector = true;
      }
      if (end == n) {
        return selector;
      }
      start = end + 1;
    }
  }

  /** Returns the segments of {@code selector}, a valid selection entry. */
  public static String[] segments(String selector) {
    return selector.split("/", -1);
  }

  /** Returns true if {@code segment} is the wildcard for one segment. */
  public static boolean isOne(String segment) {
    return ONE.equals(segment);
  }

  /** Returns true if {@code segment} is the wildcard for any number of trailing segments. */
  public static boolean isAny(String segment) {
    return ANY.equals(segment);
  }

  /**
   * Returns true if the selector with {@code segments} matches {@code topic}. Allocates nothing.
   */
  public static boolean matches(String[] segments, String topic) {
    int n = topic.length();
    int pos = 0; // start of the topic's next segment; n + 1 once every segment is consumed
    for (String segment : segments) {
      if (isAny(segment)) {
        return true;
      }
      if (pos > n) {
        return false;
      }
      int end = topic.indexOf('/', pos);
      if (end < 0) {
        end = n;
      }
      if (!isOne(segment) && (end - pos != segment.length() || !topic.startsWith(segment, pos))) {
        return false;
      }
      pos = end + 1;
    }
    return pos == n + 1;
  }
}
