package org.ssekit.redis.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;
import org.ssekit.Selection;

/**
 * The replay path of streams of several topics and selectors: {@link SelectScript} reads the log's
 * index after the presented id, and this class applies the retention exactly, per topic.
 *
 * <p><b>Known or not.</b> The id is known if the index still holds it (with its epoch), at most the
 * scan limit of entries came after it, no matching event after it was lost (its incarnation expired
 * or was replaced), and every matching topic still retains all its events after it (count, bytes,
 * age): the events after the id of one topic are, in the index, exactly that topic's newest events,
 * so the retention applies to them as it would to the topic. Otherwise the replay is unknown, with
 * the retained events of every matching topic (the exact topics, and those that a selector matches
 * among the topics of the index's newest entries), merged in the log's order.
 *
 * <p>The hand-over is that of one topic (see {@link ReplayLookup}): the lookup waits for the
 * reader's start, and completes once the reader has reported every entry up to the replay's head.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class SelectionLookup {
  private static final Comparator<LoggedEvent> LOG_ORDER =
      Comparator.comparing(event -> EventId.parse(event.id()).entry());

  private final ScriptRunner scripts;
  private final ReplayLookup replays;
  private final ReplayReply replies;
  private final String[] indexKey;
  private final String scanLimit;
  private final String maxEvents;
  private final String keyPrefix;

  /**
   * @param replays the one-topic path, whose hand-over this one shares
   * @param scanLimit the most index entries a lookup reads
   */
  SelectionLookup(
      ScriptRunner scripts,
      ReplayLookup replays,
      ReplayReply replies,
      TopicKeys keys,
      Retention retention,
      int scanLimit) {
    this.scripts = scripts;
    this.replays = replays;
    this.replies = replies;
    this.indexKey = new String[] {keys.log(), keys.lost()};
    this.scanLimit = Integer.toString(scanLimit);
    this.maxEvents = Integer.toString(retention.maxEvents());
    this.keyPrefix = keys.prefix();
  }

  /**
   * Looks up the replay of {@code selection} for a stream that presents {@code lastEventId} (or
   * null).
   *
   * @return a stage completed with the replay, or failed with {@link
   *     org.ssekit.redis.RedisUnavailableException}
   */
  CompletableFuture<Replay> lookUp(Selection selection, String lastEventId) {
    EventId presented = lastEventId == null ? null : EventId.parse(lastEventId);
    String mode = lastEventId == null ? "head" : presented == null ? "retained" : "after";
    String subject = "a selection of " + selection.size() + " entries";
    return replays
        .readerStarted(subject)
        .thenCompose(started -> select(selection, mode, presented, subject))
        .thenCompose(
            reply -> {
              Replay replay = replay(selection, lastEventId, reply);
              if (replay != null) {
                return CompletableFuture.completedFuture(replay);
              }
              // Known to the index, but a matching topic no longer retains all it had after the id.
              return select(selection, "retained", presented, subject)
                  .thenApply(retained -> replay(selection, lastEventId, retained));
            })
        .thenCompose(replay -> replays.handOver(subject, replay));
  }

  private CompletableFuture<List<Object>> select(
      Selection selection, String mode, EventId presented, String subject) {
    List<String> args = new ArrayList<>(7 + selection.size());
    args.add(mode);
    args.add(presented == null ? "" : presented.entry().toString());
    args.add(presented == null ? "" : presented.epoch());
    args.add(scanLimit);
    args.add(maxEvents);
    args.add(keyPrefix);
    args.add(Integer.toString(selection.topics().size()));
    args.addAll(selection.topics());
    args.addAll(selection.selectors());
    return scripts.run(
        SelectScript.SELECT,
        indexKey,
        subject,
        args.toArray(String[]::new),
        "look up the replay of");
  }

  /**
   * Returns the replay that {@code reply} describes, or null if the index knows the id but the
   * retention does not keep every matching event after it.
   */
  private Replay replay(Selection selection, String lastEventId, List<Object> reply) {
    Set<String> closed = new LinkedHashSet<>();
    for (Object topic : ScriptRunner.list(reply, 5)) {
      closed.add((String) topic);
    }
    if (selection.selectors().isEmpty() && closed.size() == selection.topics().size()) {
      return Replay.topicClosed();
    }
    String head = ScriptRunner.text(reply, 0);
    String headEpoch = ScriptRunner.text(reply, 1);
    String headId = head == null ? null : EventId.format(headEpoch == null ? "0" : headEpoch, head);
    if (lastEventId == null) {
      return Replay.known(List.of(), headId, closed);
    }
    long nowMillis = Long.parseLong(ScriptRunner.text(reply, 2));
    boolean known = "known".equals(ScriptRunner.text(reply, 3));
    Map<String, List<LoggedEvent>> byTopic = new LinkedHashMap<>();
    for (Object item : ScriptRunner.list(reply, 4)) {
      List<?> entry = (List<?>) item;
      String topic = (String) entry.get(1);
      LoggedEvent event =
          replies.event(
              topic, (String) entry.get(2), (String) entry.get(0), (List<?>) entry.get(3));
      if (event != null) {
        byTopic.computeIfAbsent(topic, name -> new ArrayList<>()).add(event);
      }
    }
    List<LoggedEvent> events = new ArrayList<>();
    for (List<LoggedEvent> ofTopic : byTopic.values()) {
      if (!known) {
        Collections.reverse(ofTopic); // the script reads a topic's newest entries first
      }
      List<LoggedEvent> retained = replies.retained(ofTopic, nowMillis);
      if (known && retained.size() != ofTopic.size()) {
        return null;
      }
      events.addAll(retained);
    }
    events.sort(LOG_ORDER);
    return known ? Replay.known(events, headId, closed) : Replay.unknown(events, headId, closed);
  }
}
