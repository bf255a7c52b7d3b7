package org.ssekit.redis.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;

/**
 * Turns the reply of {@link Scripts#OPEN} into a {@link Replay}, applying the retention exactly:
 * Redis keeps more than the retention (see {@link StreamTrim}), so the events it returns are cut to
 * the newest {@code maxEvents}, none older than {@code maxAge}, at most {@code maxBytes} encoded. A
 * presented id is known if the topic's epoch is the id's and every event after it is retained (also
 * when the id is the newest of events that expired while the topic was idle).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class ReplayReply {
  private static final System.Logger LOG = System.getLogger(ReplayReply.class.getName());

  private final Retention retention;
  private final long maxAgeMillis;
  private final Object log;

  /**
   * @param log the log, named in the warning about an entry it did not write
   */
  ReplayReply(Retention retention, Object log) {
    this.retention = retention;
    this.maxAgeMillis = StreamTrim.maxAgeMillis(retention);
    this.log = log;
  }

  /**
   * Returns the replay that {@code reply} describes.
   *
   * @param lastEventId the id the subscriber presented, or null
   * @param presented {@code lastEventId} parsed, or null if absent or not an id of this log
   */
  Replay replay(String topic, String lastEventId, EventId presented, List<Object> reply) {
    String kind = ScriptRunner.text(reply, 0);
    if ("closed".equals(kind)) {
      return Replay.topicClosed();
    }
    if ("empty".equals(kind)) {
      return lastEventId == null ? Replay.known(List.of(), null) : Replay.unknown(List.of(), null);
    }
    String epoch = ScriptRunner.text(reply, 1);
    String last = ScriptRunner.text(reply, 2);
    long nowMillis = Long.parseLong(ScriptRunner.text(reply, 3));
    String headId = StreamId.ZERO.toString().equals(last) ? null : EventId.format(epoch, last);
    if (lastEventId == null) {
      return Replay.known(List.of(), headId);
    }
    List<?> from = ScriptRunner.list(reply, 4);
    List<?> window = ScriptRunner.list(reply, 5);
    if (reply.size() > 6 && "base".equals(ScriptRunner.text(reply, 6))) {
      // The id is the newest of the events that expired while the topic was idle: every event
      // since is after it (see Scripts#OPEN).
      List<LoggedEvent> since = events(topic, epoch, from);
      List<LoggedEvent> retained = retained(since, nowMillis);
      return retained.size() == since.size()
          ? Replay.known(since, headId)
          : Replay.unknown(retained, headId);
    }
    if (presented != null && presented.epoch().equals(epoch) && from != null) {
      List<LoggedEvent> entries = events(topic, epoch, from);
      if (!entries.isEmpty()
          && EventId.parse(entries.get(0).id()).entry().equals(presented.entry())) {
        List<LoggedEvent> after = entries.subList(1, entries.size());
        List<LoggedEvent> retained = retained(after, nowMillis);
        if (retained.size() == after.size()) {
          return Replay.known(after, headId);
        }
        if (window == null) {
          // Everything after the id was read, and the window is a part of it.
          return Replay.unknown(retained, headId);
        }
      } else if (presented.entry().toString().equals(last)) {
        return Replay.known(List.of(), headId); // the newest event; those before it may be gone
      }
    }
    List<LoggedEvent> newest = window == null ? List.of() : events(topic, epoch, window);
    List<LoggedEvent> oldestFirst = new ArrayList<>(newest);
    Collections.reverse(oldestFirst);
    return Replay.unknown(retained(oldestFirst, nowMillis), headId);
  }

  /**
   * Returns the newest part of {@code events} (oldest first) that the retention keeps: at most
   * {@code maxEvents}, none older than {@code maxAge}, at most {@code maxBytes} encoded.
   */
  List<LoggedEvent> retained(List<LoggedEvent> events, long nowMillis) {
    int first = Math.max(0, events.size() - retention.maxEvents());
    while (first < events.size()
        && nowMillis - EventId.parse(events.get(first).id()).entry().ms() >= maxAgeMillis) {
      first++;
    }
    long bytes = 0;
    for (int i = events.size() - 1; i >= first; i--) {
      bytes += events.get(i).encodedLength();
      if (bytes > retention.maxBytes()) {
        first = i + 1;
        break;
      }
    }
    return events.subList(first, events.size());
  }

  /**
   * Decodes the entries of a script's reply ({@code [[id, [field, value, ...]], ...]}), skipping
   * others.
   */
  private List<LoggedEvent> events(String topic, String epoch, List<?> entries) {
    List<LoggedEvent> events = new ArrayList<>(entries.size());
    for (Object item : entries) {
      List<?> entry = (List<?>) item;
      LoggedEvent event = event(topic, epoch, (String) entry.get(0), (List<?>) entry.get(1));
      if (event != null) {
        events.add(event);
      }
    }
    return events;
  }

  /**
   * Decodes the entry {@code id} of {@code topic} with the flat field-value list {@code flat}, or
   * returns null for a closing entry or one that this log did not write (with a warning).
   */
  LoggedEvent event(String topic, String epoch, String id, List<?> flat) {
    Map<String, String> fields = new HashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    if (EntryCodec.isClosing(fields)) {
      return null;
    }
    try {
      return new LoggedEvent(topic, EventId.format(epoch, id), EntryCodec.decode(fields));
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.WARNING,
          () ->
              log
                  + " skipped entry "
                  + id
                  + " of topic "
                  + topic
                  + ", which this log did not write: "
                  + e.getMessage());
      return null;
    }
  }
}
