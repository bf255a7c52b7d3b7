package org.ssekit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.ssekit.internal.MemoryEventLog;

/**
 * The record of a hub's topics: it assigns every published event its id, retains recent events for
 * replay, and knows which topics are closed. A log may be shared by several server nodes (for
 * example on Redis Streams); the hub then delivers to its subscribers what the log reports as
 * appended, wherever it was published.
 *
 * <p><b>Ids</b> are opaque to everything but the log. They are ordered within a topic, and carry an
 * epoch so that an id from before a restart, or from evicted history, is recognised as unknown
 * rather than mistaken for a recent one.
 *
 * <p><b>Selections.</b> A log that {@linkplain #supportsSelections() supports} streams of several
 * topics and selectors must give every event one id from one log-wide order, and report every
 * append to its sink in that order, one call at a time, for every topic, followed or not: a stream
 * then receives its topics' events in id order, so the id of the last event it received says that
 * it received every matching event before it, and {@link #lookUpReplay(Selection, String)} can
 * replay exactly the matching events after it. A log that does not (the default) serves one topic
 * per stream; the hub refuses selections of several entries on it.
 *
 * <p><b>Contract for implementations:</b>
 *
 * <ul>
 *   <li>{@link #start(Sink)} is called once by the hub that owns the log, before any other method.
 *   <li>For each topic, {@link Sink#onAppended(LoggedEvent)} is called in id order, one call at a
 *       time, for every event appended after {@link #follow(String)} (and may be called for other
 *       topics).
 *   <li>{@link #lookUpReplay(String, String)} reads after the subscriber was registered with the
 *       hub. The hub holds back the live events reported meanwhile and, at the hand-over, drops
 *       those up to the last replayed event (or, if the replay is known and empty, up to the id the
 *       client presented: a log on several nodes may report older events late): nothing is lost or
 *       duplicated.
 *   <li>A log that reports appends asynchronously (from another node, say) completes the stage of
 *       {@link #lookUpReplay(String, String)} only after it has reported every event up to the
 *       replay's {@link Replay#headId()}: an event up to the last replayed one that were reported
 *       later, once the subscriber is live, would reach it twice.
 *   <li>The hub calls every method without holding any of its locks. For one topic, {@link
 *       #follow(String)} and {@link #unfollow(String)} are called one at a time and alternately,
 *       starting with {@code follow}; a subscriber's replay is looked up only after the log was
 *       told to follow its topic.
 *   <li>The log may call its {@link Sink} while holding its own locks (the in-memory log does, for
 *       its per-topic order): the sink only queues the event for the hub's subscribers, taking
 *       their locks briefly, never blocks and never calls back into the log.
 * </ul>
 *
 * <p><b>Thread safety:</b> implementations must be thread-safe.
 */
public interface EventLog extends AutoCloseable {

  /** Receives what the log observes. Implemented by the hub. */
  interface Sink {
    /** An event was appended to its topic (on this node or another). Must not block. */
    void onAppended(LoggedEvent event);

    /** A topic was closed (on this node or another). Must not block. */
    void onTopicClosed(String topic);

    /**
     * Another node sharing the log {@linkplain #announceRevocation revoked} {@code principal}'s
     * streams: the hub ends its own streams of the principal. Called once per announcement, never
     * for this node's own. Must not block.
     */
    default void onRevoked(String principal) {}

    /**
     * {@code principal} became ({@code present}) or stopped being a member of {@code topic} on the
     * other nodes sharing the log, taken together: reported when the first other node gains it and
     * when the last loses it (or its lease ran out). Never for this node's own members. Must not
     * block.
     */
    default void onPresence(String topic, String principal, boolean present) {}

    /**
     * The storage lost events that this node's subscribers may not have received (Redis restarted
     * from an older snapshot or empty, a failover to a replica that lacked them, entries trimmed
     * before this node read them). The log cannot tell which topics they were of, so the hub sends
     * every stream it holds the gap notice ({@link SseHub#GAP_EVENT_TYPE}, data {@code
     * log-lost-events}), after the events it was sent before and before the next: a client that
     * stays connected learns of the loss as a reconnecting one does. Called in the order of the
     * appends, one call at a time, like {@link #onAppended}. Must not block.
     */
    default void onEventsLost() {}
  }

  /**
   * Returns a log that keeps events in this JVM's memory, bounded by {@code retention}.
   *
   * @throws NullPointerException if {@code retention} is null
   */
  static EventLog inMemory(Retention retention) {
    return new MemoryEventLog(retention);
  }

  /** Returns a log that keeps events in this JVM's memory with the default {@link Retention}. */
  static EventLog inMemory() {
    return inMemory(Retention.defaults());
  }

  /** Connects the log to its hub. Called once, first. */
  void start(Sink sink);

  /**
   * Appends {@code event} to {@code topic}, assigning its id.
   *
   * @return a stage completed with the logged event after it was appended (and reported to the
   *     sink), or failed: with {@link IllegalStateException} if the topic or log is closed, or with
   *     the storage's exception
   */
  CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event);

  /**
   * Looks up where a subscriber that presents {@code lastEventId} (or null) starts.
   *
   * @return a stage completed with the replay, or failed with the storage's exception
   */
  CompletionStage<Replay> lookUpReplay(String topic, String lastEventId);

  /**
   * Returns true if this log implements {@link #lookUpReplay(Selection, String)} and the log-wide
   * order described in the class documentation. False by default.
   */
  default boolean supportsSelections() {
    return false;
  }

  /**
   * Looks up where a stream of {@code selection} (several topics or selectors) that presents {@code
   * lastEventId} (or null) starts: the events after it of every topic the selection matches, in the
   * log's order ({@link Replay#known(java.util.List, String, java.util.Set)}); or, if the id is
   * unknown or a matching topic lost events after it, every retained event of the matching topics
   * ({@link Replay#unknown(java.util.List, String, java.util.Set)}); or {@link
   * Replay#topicClosed()} if the selection has no selector and all its topics are closed. Called
   * only if {@link #supportsSelections()}.
   *
   * @return a stage completed with the replay, or failed with the storage's exception; by default
   *     failed with {@link UnsupportedOperationException}
   */
  default CompletionStage<Replay> lookUpReplay(Selection selection, String lastEventId) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(this + " does not support selections"));
  }

  /**
   * Compares two ids this log assigned to events of one topic (of any topics, if it {@linkplain
   * #supportsSelections() supports selections}).
   *
   * @return negative, zero or positive as {@code a} is older than, the same as or newer than {@code
   *     b}
   */
  int compare(String a, String b);

  /**
   * Closes {@code topic}: drops its events, refuses later appends and subscribers, and reports
   * {@link Sink#onTopicClosed(String)}.
   *
   * @return a stage completed when the topic is closed
   */
  CompletionStage<Void> closeTopic(String topic);

  /**
   * Tells every other node sharing this log that {@code principal}'s streams were revoked here
   * ({@link SseHub#closeStreamsOf}): the log reports it to each other node's {@link
   * Sink#onRevoked(String)} once, and never back to this node's sink (the hub applied it already).
   * A log of one node (the in-memory log) has nobody to tell: the default completes at once.
   *
   * @return a stage completed once the log recorded the announcement, or failed with the storage's
   *     exception (the other nodes may then not learn of it)
   */
  default CompletionStage<Void> announceRevocation(String principal) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * This node's first stream of {@code principal} on the presence topic {@code topic} began ({@code
   * present}), or its last ended. A log shared by several nodes keeps this node's members where the
   * others find them (and lets them go if this node stops renewing them) and reports the change to
   * the other nodes' sinks ({@link Sink#onPresence}). Called in the order of the changes, one at a
   * time. Must not block; a failure is the log's to log and heal. Does nothing by default.
   */
  default void presenceChanged(String topic, String principal, boolean present) {}

  /**
   * The hub has subscribers for {@code topic} and needs its appended events. Does nothing by
   * default.
   */
  default void follow(String topic) {}

  /** The hub no longer has subscribers for {@code topic}. Does nothing by default. */
  default void unfollow(String topic) {}

  /** Releases the log's resources. Later calls fail. Closing twice is safe. */
  @Override
  void close();
}
