package org.ssekit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ssekit.Selection;

/**
 * The newest sequence of each topic a {@link MemoryEventLog} forgot (no event retained, no append
 * for the retention's maximum age), so that a client presenting that topic's newest id is told it
 * missed nothing instead of getting a gap notice. Bounded: past {@link #LIMIT} topics the oldest
 * forgotten is dropped and only the newest sequence of all dropped ones is kept, which is
 * conservative (an id older than it is unknown for every forgotten topic) but never wrong.
 *
 * <p><b>Thread safety:</b> not thread-safe; guarded by the log's lock.
 */
final class ForgottenTopics {
  /** Topics remembered: at most ~1–2 MiB of names and sequences. */
  static final int LIMIT = 10_000;

  private final Map<String, Long> heads;
  // The newest sequence of a forgotten topic no longer remembered; 0 if none was dropped.
  private long droppedSeq;

  ForgottenTopics(int limit) {
    this.heads =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            if (size() <= limit) {
              return false;
            }
            droppedSeq = Math.max(droppedSeq, eldest.getValue());
            return true;
          }
        };
  }

  /** Remembers that {@code topic}, whose newest event had {@code headSeq}, was forgotten. */
  void forget(String topic, long headSeq) {
    heads.remove(topic);
    heads.put(topic, headSeq);
  }

  /**
   * Returns the newest sequence {@code topic} had before it was forgotten, and stops remembering it
   * (the topic is back in the log); or -1 if it is not remembered.
   */
  long recall(String topic) {
    Long head = heads.remove(topic);
    return head == null ? -1 : head;
  }

  /** Returns the newest sequence of forgotten {@code topic}, or -1 if it is not remembered. */
  long headOf(String topic) {
    Long head = heads.get(topic);
    return head == null ? -1 : head;
  }

  /**
   * Returns the oldest sequence a stream of {@code selection} may present without having missed an
   * event of a forgotten topic it reads: the newest of the matching remembered topics and of the
   * dropped ones. Costs O(remembered topics) when {@code selection} has selectors.
   */
  long floorFor(Selection selection) {
    long floor = droppedSeq;
    if (selection.selectors().isEmpty()) {
      for (String topic : selection.topics()) {
        floor = Math.max(floor, headOf(topic));
      }
      return floor;
    }
    for (Map.Entry<String, Long> entry : heads.entrySet()) {
      if (entry.getValue() > floor && selection.matches(entry.getKey())) {
        floor = entry.getValue();
      }
    }
    return floor;
  }

  /** Returns the newest sequence of the topics forgotten and no longer remembered, or 0. */
  long droppedSeq() {
    return droppedSeq;
  }

  int size() {
    return heads.size();
  }
}
