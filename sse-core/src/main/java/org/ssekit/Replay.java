package org.ssekit;

import java.util.List;
import java.util.Objects;

/**
 * What a topic's {@link EventLog} knows when a subscriber joins: whether the topic is closed,
 * whether the client's {@code Last-Event-ID} is known, the events to replay, and the newest id at
 * that moment.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Replay {
  private static final Replay CLOSED = new Replay(true, true, List.of(), null);

  private final boolean topicClosed;
  private final boolean known;
  private final List<LoggedEvent> events;
  private final String headId;

  private Replay(boolean topicClosed, boolean known, List<LoggedEvent> events, String headId) {
    this.topicClosed = topicClosed;
    this.known = known;
    this.events = events;
    this.headId = headId;
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
    return new Replay(false, true, List.copyOf(events), headId);
  }

  /**
   * The client's id is unknown: {@code retained} is everything the log still holds, oldest first.
   *
   * @param retained every retained event of the topic
   * @param headId the id of the newest event in the log, or null if it holds none for the topic
   */
  public static Replay unknown(List<LoggedEvent> retained, String headId) {
    return new Replay(false, false, List.copyOf(retained), headId);
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
        && Objects.equals(headId, that.headId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topicClosed, known, events, headId);
  }
}
