package org.ssekit.internal;

import java.util.ArrayDeque;
import java.util.List;
import org.ssekit.LoggedEvent;

/**
 * One topic's retained events in a {@link MemoryEventLog}, oldest first, with the sequences that
 * tell which ids the log can still replay after.
 *
 * <p><b>Thread safety:</b> not thread-safe; guarded by the log's lock.
 */
final class RetainedTopic {
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long bytes;
  long headSeq;
  private String headId;
  // The newest sequence the log cannot replay after on its own: the last evicted event, or the
  // log's counter when the topic was created (the one-topic rule).
  long floorSeq;
  // The sequence of the last evicted event, or 0 if none was: a stream of several topics that
  // presents an older id missed it.
  long evictedSeq;
  long lastAppendNanos;

  /**
   * A topic created when the log's counter was at {@code createdAtSeq}; {@code forgottenHeadSeq} is
   * the newest sequence of its forgotten former incarnation, or -1 if none is remembered (then an
   * id older than its creation may have missed events of that incarnation).
   */
  RetainedTopic(long createdAtSeq, long forgottenHeadSeq) {
    this.floorSeq = forgottenHeadSeq >= 0 ? forgottenHeadSeq : createdAtSeq;
    this.evictedSeq = Math.max(0, forgottenHeadSeq);
    this.headSeq = createdAtSeq;
  }

  void add(long seq, long now, LoggedEvent event) {
    Entry entry = new Entry(seq, now, event);
    entries.addLast(entry);
    bytes += entry.size;
    headSeq = seq;
    headId = event.id();
    lastAppendNanos = now;
  }

  void evict(long now, int maxEvents, long maxBytes, long maxAgeNanos) {
    while (!entries.isEmpty()) {
      Entry oldest = entries.peekFirst();
      if (entries.size() <= maxEvents
          && bytes <= maxBytes
          && now - oldest.appendedNanos < maxAgeNanos) {
        return;
      }
      entries.removeFirst();
      bytes -= oldest.size;
      floorSeq = oldest.seq;
      evictedSeq = oldest.seq;
    }
  }

  /** Adds the entries after {@code seq} to {@code after}, oldest first. */
  void entriesAfter(long seq, List<Entry> after) {
    for (Entry entry : entries) {
      if (entry.seq > seq) {
        after.add(entry);
      }
    }
  }

  String headId() {
    return headId;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  void clear() {
    entries.clear();
    bytes = 0;
  }

  /** One retained event with its sequence. */
  static final class Entry {
    final long seq;
    final long appendedNanos;
    final LoggedEvent event;
    final int size;

    Entry(long seq, long appendedNanos, LoggedEvent event) {
      this.seq = seq;
      this.appendedNanos = appendedNanos;
      this.event = event;
      this.size = event.encodedLength();
    }
  }
}
