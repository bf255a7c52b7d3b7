package org.ssekit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ssekit.internal.TopicNames;

/**
 * What one stream subscribes to: a set of exact topics plus wildcard selectors, built by the
 * application. Topic names are {@code /}-separated paths such as {@code rooms/lobby} or {@code
 * users/42/notifications}; in a selector, {@code *} stands for exactly one segment and {@code **}
 * (last only) for any number of trailing segments, none included: {@code rooms/*}, {@code
 * users/42/**}. A stream receives every event of every topic the selection {@linkplain #matches
 * matches} exactly once, however many of its entries match.
 *
 * <pre>{@code
 * Selection rooms = Selection.of("rooms/lobby", "rooms/kitchen", "users/42/**");
 * hub.subscribe(rooms, lastEventId, transport, listener);
 * }</pre>
 *
 * <p>The rules (see {@link #of(Collection)}): each entry is 1-1024 chars of well-formed UTF-16 with
 * no CR or LF, no empty segment, and {@code *} only as a whole segment; a selection holds 1 to 1024
 * distinct entries (a hub allows 64 per stream by default, see {@link
 * SseHub.Builder#maxSelectionSize}). {@link #topic(String)} takes any topic name literally, as
 * {@link SseHub#subscribe(String, String, SseTransport, SseListener)} does.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Selection {
  private final Set<String> topics;
  private final Set<String> selectors;
  private final String[][] selectorSegments;

  private Selection(Set<String> topics, Set<String> selectors) {
    this.topics = Collections.unmodifiableSet(topics);
    this.selectors = Collections.unmodifiableSet(selectors);
    this.selectorSegments = new String[selectors.size()][];
    int i = 0;
    for (String selector : selectors) {
      selectorSegments[i++] = TopicNames.segments(selector);
    }
  }

  /**
   * Returns the selection of exactly {@code topic}, taken literally (a {@code *} in it is no
   * wildcard): the same stream as a subscription to that one topic.
   *
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name (1-1024 chars of
   *     well-formed UTF-16)
   */
  public static Selection topic(String topic) {
    TopicNames.requireValid(topic);
    return new Selection(new LinkedHashSet<>(List.of(topic)), new LinkedHashSet<>());
  }

  /**
   * Returns the selection of {@code entries}; see {@link #of(Collection)}.
   *
   * @throws NullPointerException if {@code entries} or one of them is null
   * @throws IllegalArgumentException if an entry or their number breaks a rule
   */
  public static Selection of(String... entries) {
    Objects.requireNonNull(entries, "entries");
    return of(Arrays.asList(entries));
  }

  /**
   * Returns the selection of {@code entries}, in their order: each is an exact topic, or a selector
   * if one of its segments is {@code *} or {@code **}. Duplicates count once.
   *
   * @throws NullPointerException if {@code entries} or one of them is null (the message names its
   *     index, as in {@code selection entry 3})
   * @throws IllegalArgumentException naming the entry's index, the rule and the char index if an
   *     entry is empty or longer than 1024 chars, holds CR, LF or an unpaired surrogate, has an
   *     empty segment, a {@code *} inside a segment or {@code **} before its last segment; or if
   *     there are no entries or more than 1024
   */
  public static Selection of(Collection<String> entries) {
    Objects.requireNonNull(entries, "entries");
    List<String> copy = new ArrayList<>(entries); // one snapshot of a collection that may change
    if (copy.isEmpty() || copy.size() > TopicNames.MAX_SELECTION_ENTRIES) {
      throw new IllegalArgumentException(
          "selection must hold 1-" + TopicNames.MAX_SELECTION_ENTRIES + " entries: " + copy.size());
    }
    Set<String> topics = new LinkedHashSet<>();
    Set<String> selectors = new LinkedHashSet<>();
    for (int i = 0; i < copy.size(); i++) {
      String entry = copy.get(i);
      if (TopicNames.requireSelectionEntry("selection entry " + i, entry)) {
        selectors.add(entry);
      } else {
        topics.add(entry);
      }
    }
    return new Selection(topics, selectors);
  }

  /** Returns the exact topics, in the order given. */
  public Set<String> topics() {
    return topics;
  }

  /** Returns the selectors, in the order given. */
  public Set<String> selectors() {
    return selectors;
  }

  /** Returns the number of distinct entries: topics plus selectors. */
  public int size() {
    return topics.size() + selectors.size();
  }

  /** Returns true if the selection is one exact topic and no selector. */
  public boolean isSingleTopic() {
    return selectors.isEmpty() && topics.size() == 1;
  }

  /**
   * Returns true if events of {@code topic} belong to this selection: it is one of the topics, or a
   * selector matches it.
   *
   * @throws NullPointerException if {@code topic} is null
   */
  public boolean matches(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (topics.contains(topic)) {
      return true;
    }
    for (String[] segments : selectorSegments) {
      if (TopicNames.matches(segments, topic)) {
        return true;
      }
    }
    return false;
  }

  /** Returns true if {@code o} is a selection with the same topics and selectors. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Selection
        && topics.equals(((Selection) o).topics)
        && selectors.equals(((Selection) o).selectors);
  }

  @Override
  public int hashCode() {
    return 31 * topics.hashCode() + selectors.hashCode();
  }

  /** Returns the entries, topics first, separated by {@code ", "}. */
  @Override
  public String toString() {
    List<String> all = new ArrayList<>(topics);
    all.addAll(selectors);
    return String.join(", ", all);
  }
}
