package org.ssekit;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a topic's {@link EventLog} knows when a subscriber joins: whether the topic is closed,
 * whether the client's {@code Last-Event-ID} is known, the events to replay, and the newest id at
 * that moment. For a {@link Selection} of several topics, the events come from every matching topic
 * in the log's order, and the replay names the selection's exact topics that are closed.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Replay {
  private static final Replay CLOSED = new Replay(true, true, List.of(), null, Set.of());

  private final boolean topicClosed;
  private final boolean known;
  private final List<LoggedEvent> events;
  private final String headId;
  private final Set<String> closedTopics;

  private Replay(
      boolean topicClosed,
      boolean known,
      List<LoggedEvent> events,
      String headId,
      Set<String> closedTopics) {
    this.topicClosed = topicClosed;
    this.known = known;
    this.events = events;
    this.headId = headId;
    this.closedTopics = closedTopics;
  }

  /** The topic is closed: the subscriber is refused. */
  public static Replay topicClosed() {
    return CLOSED;
  }

  /**
   * The client's id is known (or absent): {@code events} are those after it, oldest first.
   *
   * @param events the events after the client's id; empty when it presented none
   * @param headId the id of the newest event in the log at the time of the lookup, or null if the
   *     log holds none for the topic
   */
  public static Replay known(List<LoggedEvent> events, String headId) {
    return new Replay(false, true, List.copyOf(events), headId, Set.of());
  }

  /**
   * A selection's replay for a known (or absent) id: as {@link #known(List, String)}, with the
   * events of every matching topic in the log's order, and the selection's exact topics that are
   * closed (the stream goes on without them).
   *
   * @throws NullPointerException if {@code events} or {@code closedTopics} is null
   */
  public static Replay known(List<LoggedEvent> events, String headId, Set<String> closedTopics) {
    return new Replay(false, true, List.copyOf(events), headId, Set.copyOf(closedTopics));
  }

  /**
   * A selection's replay for an unknown id, or an id after which some matching topic lost events:
   * as {@link #unknown(List, String)}, with every retained event of every matching topic in the
   * log's order, and the selection's exact topics that are closed.
   *
   * @throws NullPointerException if {@code retained} or {@code closedTopics} is null
   */
  public static Replay unknown(
      List<LoggedEvent> retained, String headId, Set<String> closedTopics) {
    return new Replay(false, false, List.copyOf(retained), headId, Set.copyOf(closedTopics));
  }

  /**
   * The client's id is unknown: {@code retained} is everything the log still holds, oldest first.
   *
   * @param retained every retained event of the topic
   * @param headId the id of the newest event in the log, or null if it holds none for the topic
   */
  public static Replay unknown(List<LoggedEvent> retained, String headId) {
    return new Replay(false, false, List.copyOf(retained), headId, Set.of());
  }

  /** Returns true if the topic is closed. */
  public boolean isTopicClosed() {
    return topicClosed;
  }

  /** Returns true unless the client presented an id the log does not know. */
  public boolean isKnown() {
    return known;
  }

  /** Returns the events after the client's id (known) or every retained event (unknown). */
  public List<LoggedEvent> events() {
    return events;
  }

  /**
   * Returns the id of the newest event in the log at the time of the lookup, or null if there was
   * none: the point up to which an asynchronous log has reported appends before completing the
   * lookup.
   */
  public String headId() {
    return headId;
  }

  /** Returns the exact topics of a selection that are closed; empty for one topic. */
  public Set<String> closedTopics() {
    return closedTopics;
  }

  @Override
  public String toString() {
    return "Replay{closed="
        + topicClosed
        + ", known="
        + known
        + ", events="
        + events.size()
        + ", head="
        + headId
        + (closedTopics.isEmpty() ? "" : ", closedTopics=" + closedTopics.size())
        + "}";
  }

  /** Returns true if {@code o} is a replay with the same contents. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Replay)) {
      return false;
    }
    Replay that = (Replay) o;
    return topicClosed == that.topicClosed
        && known == that.known
        && events.equals(that.events)
        && Objects.equals(headId, that.headId)
        && closedTopics.equals(that.closedTopics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topicClosed, known, events, headId, closedTopics);
  }
}
