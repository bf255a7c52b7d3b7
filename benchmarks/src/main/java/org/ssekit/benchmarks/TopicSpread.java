package org.ssekit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ssekit.Selection;

/**
 * The topics of the multi-topic scenarios ({@code fanout-multi}, {@code latency-multi}), shared by
 * the server and the load client so that both derive the same routing from the event's sequence
 * number alone: {@link #TOPICS} topics {@code multi/0} .. {@code multi/99}; event {@code seq} goes
 * to topic {@code seq % TOPICS}; client {@code i} subscribes to the {@link #PER_CLIENT} consecutive
 * topics starting at {@code (PER_CLIENT * i) % TOPICS} (wrapping), over the query {@code
 * ?topic=N&topic=N...}. Over any 25 consecutive clients that covers every topic exactly twice, so
 * each topic has {@code clients * PER_CLIENT / TOPICS} subscribers when the client count is a
 * multiple of 25 (and at most one more or less otherwise).
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class TopicSpread {
  /** The number of topics published to. */
  static final int TOPICS = 100;

  /** The number of topics every client subscribes to. */
  static final int PER_CLIENT = 8;

  /** The path the multi-topic streams are served at, on every contestant that has them. */
  static final String PATH = "/multi";

  /** The query parameter that names one topic number of a stream's selection. */
  static final String PARAMETER = "topic";

  /** The prefix of every multi-topic topic name. */
  private static final String PREFIX = "multi/";

  private TopicSpread() {}

  /** Returns the topic number event {@code seq} is published to. */
  static int topicOf(long seq) {
    return (int) Math.floorMod(seq, (long) TOPICS);
  }

  /** Returns the hub topic name of topic number {@code topic}. */
  static String name(int topic) {
    return PREFIX + topic;
  }

  /** Returns the first of the topics client {@code clientIndex} subscribes to. */
  static int firstTopic(int clientIndex) {
    return Math.floorMod(PER_CLIENT * clientIndex, TOPICS);
  }

  /**
   * Returns the place (0 .. {@link #PER_CLIENT}-1) of {@code topic} among the topics of the client
   * whose first topic is {@code firstTopic}, or -1 if that client does not subscribe to it.
   */
  static int slot(int firstTopic, int topic) {
    int slot = Math.floorMod(topic - firstTopic, TOPICS);
    return slot < PER_CLIENT ? slot : -1;
  }

  /** Returns the request target of the stream of the client whose first topic is {@code first}. */
  static String target(int firstTopic) {
    StringBuilder target = new StringBuilder(PATH);
    for (int k = 0; k < PER_CLIENT; k++) {
      target
          .append(k == 0 ? '?' : '&')
          .append(PARAMETER)
          .append('=')
          .append((firstTopic + k) % TOPICS);
    }
    return target.toString();
  }

  /**
   * Returns the selection of the topic numbers a request named, as the servlet contestant admits
   * it.
   *
   * @throws IllegalArgumentException if there are none, or one is not a topic number 0-99
   */
  static Selection selection(String[] topicNumbers) {
    if (topicNumbers == null || topicNumbers.length == 0) {
      throw new IllegalArgumentException(PARAMETER + " missing: give ?topic=N, N in 0-99");
    }
    List<String> names = new ArrayList<>(topicNumbers.length);
    for (String number : topicNumbers) {
      names.add(name(topicNumber(number)));
    }
    return Selection.of(names);
  }

  /**
   * Parses one topic number.
   *
   * @throws IllegalArgumentException if {@code value} is not an integer 0-99
   */
  static int topicNumber(String value) {
    int topic;
    try {
      topic = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      topic = -1;
    }
    if (topic < 0 || topic >= TOPICS || value.startsWith("+")) {
      throw new IllegalArgumentException(
          PARAMETER + " not a topic number 0-" + (TOPICS - 1) + ": " + printable(value));
    }
    return topic;
  }

  private static String printable(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    StringBuilder out = new StringBuilder(shown.length());
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      out.append(
          c < 0x20 || c == 0x7f
              ? String.format(Locale.ROOT, "\\x%02x", (int) c)
              : String.valueOf(c));
    }
    return out.toString();
  }
}
