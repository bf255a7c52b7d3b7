package org.ssekit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;

/**
 * An {@link EventLog} in this JVM's memory, bounded per topic by a {@link Retention}.
 *
 * <p>Ids are {@code <epoch>-<sequence>}: the epoch is random per log instance, so ids from before a
 * restart are unknown; the sequence is one counter for all topics, so an id from a forgotten
 * incarnation of a topic is never mistaken for one of a later incarnation, and one id places a
 * stream of several topics in all of them (see {@link #lookUpReplay(Selection, String)}).
 *
 * <p>One lock orders the whole log: an append takes its sequence, is retained and is reported to
 * the sink under it. So every stream receives the events of all its topics in sequence order, and a
 * lookup sees every event the hub has not yet fanned out to a registered subscriber. The price:
 * fan-outs of different topics on one node run one at a time (the hub's fan-out only queues bytes;
 * the writes run on its delivery threads).
 *
 * <p>Topics are forgotten once they retain no event and saw no append for the retention's maximum
 * age; the newest id of each forgotten topic is remembered ({@link ForgottenTopics}), so a client
 * that had it is told it missed nothing, not sent a gap notice. Closed topic names are remembered
 * up to the retention's bound, oldest forgotten first.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class MemoryEventLog implements EventLog {
  private static final long PURGE_INTERVAL_NANOS = 1_000_000_000L;

  private final Retention retention;
  private final long maxAgeNanos;
  private final String epoch;
  private final String idPrefix;
  private final Object lock = new Object();
  // @GuardedBy("lock") for writes; read without it for the head id
  private final AtomicLong sequence = new AtomicLong();
  // Changed under lock (and each value guarded by it); read without it for the topic count.
  private final ConcurrentHashMap<String, RetainedTopic> topics = new ConcurrentHashMap<>();
  // @GuardedBy("lock"); insertion-ordered so that the oldest closed names are forgotten first
  private final Map<String, Boolean> closedTopics;
  // @GuardedBy("lock")
  private final ForgottenTopics forgotten = new ForgottenTopics(ForgottenTopics.LIMIT);
  private final AtomicLong nextPurgeNanos =
      new AtomicLong(System.nanoTime() + PURGE_INTERVAL_NANOS);
  private volatile EventLog.Sink sink;
  private volatile boolean closed;

  /**
   * Creates a log bounded by {@code retention}.
   *
   * @throws NullPointerException if {@code retention} is null
   */
  public MemoryEventLog(Retention retention) {
    this.retention = Objects.requireNonNull(retention, "retention");
    this.maxAgeNanos = saturatedNanos(retention);
    this.epoch =
        Long.toString(
            ThreadLocalRandom.current()
                .nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36),
            36);
    this.idPrefix = epoch + "-";
    int maxClosed = retention.maxClosedTopics();
    this.closedTopics =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > maxClosed;
          }
        };
  }

  private static long saturatedNanos(Retention retention) {
    try {
      return retention.maxAge().toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void start(Sink sink) {
    Objects.requireNonNull(sink, "sink");
    if (this.sink != null) {
      throw new IllegalStateException(this + " already started");
    }
    this.sink = sink;
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    Sink target = requireStarted();
    long now = System.nanoTime();
    LoggedEvent logged;
    synchronized (lock) {
      if (isClosed(topic)) {
        return CompletableFuture.failedFuture(new IllegalStateException("topic closed: " + topic));
      }
      RetainedTopic log = topics.get(topic);
      if (log == null) {
        log = new RetainedTopic(sequence.get(), forgotten.recall(topic));
        topics.put(topic, log);
      }
      long seq = sequence.incrementAndGet();
      logged = new LoggedEvent(topic, idPrefix + seq, event);
      log.add(seq, now, logged);
      log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
      target.onAppended(logged);
    }
    purgeIfDue(now);
    return CompletableFuture.completedFuture(logged);
  }

  @Override
  public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    Objects.requireNonNull(topic, "topic");
    requireStarted();
    long now = System.nanoTime();
    purgeIfDue(now);
    synchronized (lock) {
      if (isClosed(topic)) {
        return CompletableFuture.completedFuture(Replay.topicClosed());
      }
      RetainedTopic log = topics.get(topic);
      if (log == null) {
        return CompletableFuture.completedFuture(
            lastEventId == null || isNewestOfForgotten(topic, parseSequence(lastEventId))
                ? Replay.known(List.of(), null)
                : Replay.unknown(List.of(), null));
      }
      log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
      String headId = log.headId();
      if (lastEventId == null) {
        return CompletableFuture.completedFuture(Replay.known(List.of(), headId));
      }
      long seq = parseSequence(lastEventId);
      List<RetainedTopic.Entry> after = new ArrayList<>();
      if (seq < log.floorSeq || seq > log.headSeq) {
        log.entriesAfter(Long.MIN_VALUE, after);
        return CompletableFuture.completedFuture(Replay.unknown(events(after), headId));
      }
      log.entriesAfter(seq, after);
      return CompletableFuture.completedFuture(Replay.known(events(after), headId));
    }
  }

  @Override
  public boolean supportsSelections() {
    return true;
  }

  /**
   * Looks up a selection's replay. The id is known if it is one of this log's, not newer than its
   * head, not older than an event evicted from a topic since forgotten, and no matching topic
   * evicted an event after it. Finding the topics its selectors match reads every topic the log
   * remembers: a lookup with selectors costs O(topics), once per stream.
   */
  @Override
  public CompletionStage<Replay> lookUpReplay(Selection selection, String lastEventId) {
    Objects.requireNonNull(selection, "selection");
    requireStarted();
    long now = System.nanoTime();
    purgeIfDue(now);
    synchronized (lock) {
      Set<String> closedExact = new LinkedHashSet<>();
      for (String topic : selection.topics()) {
        if (isClosed(topic)) {
          closedExact.add(topic);
        }
      }
      if (selection.selectors().isEmpty() && closedExact.size() == selection.topics().size()) {
        return CompletableFuture.completedFuture(Replay.topicClosed());
      }
      long head = sequence.get();
      String headId = head == 0 ? null : idPrefix + head;
      if (lastEventId == null) {
        return CompletableFuture.completedFuture(Replay.known(List.of(), headId, closedExact));
      }
      long seq = parseSequence(lastEventId);
      boolean known = seq >= 0 && seq <= head && seq >= forgotten.floorFor(selection);
      List<RetainedTopic> matching = matching(selection);
      for (RetainedTopic log : matching) {
        log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
        known &= seq >= log.evictedSeq;
      }
      List<RetainedTopic.Entry> after = new ArrayList<>();
      for (RetainedTopic log : matching) {
        log.entriesAfter(known ? seq : Long.MIN_VALUE, after);
      }
      after.sort(Comparator.comparingLong(entry -> entry.seq));
      return CompletableFuture.completedFuture(
          known
              ? Replay.known(events(after), headId, closedExact)
              : Replay.unknown(events(after), headId, closedExact));
    }
  }

  private List<RetainedTopic> matching(Selection selection) {
    assert Thread.holdsLock(lock);
    List<RetainedTopic> matching = new ArrayList<>();
    if (selection.selectors().isEmpty()) {
      for (String topic : selection.topics()) {
        RetainedTopic log = topics.get(topic);
        if (log != null) {
          matching.add(log);
        }
      }
    } else {
      for (Map.Entry<String, RetainedTopic> entry : topics.entrySet()) {
        if (selection.matches(entry.getKey())) {
          matching.add(entry.getValue());
        }
      }
    }
    return matching;
  }

  private static List<LoggedEvent> events(List<RetainedTopic.Entry> entries) {
    List<LoggedEvent> events = new ArrayList<>(entries.size());
    for (RetainedTopic.Entry entry : entries) {
      events.add(entry.event);
    }
    return events;
  }

  @Override
  public int compare(String a, String b) {
    return Long.compare(parseSequence(a), parseSequence(b));
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    Sink target = requireStarted();
    synchronized (lock) {
      closedTopics.put(topic, Boolean.TRUE);
      RetainedTopic log = topics.remove(topic);
      if (log != null) {
        log.clear();
      }
    }
    target.onTopicClosed(topic);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed = true;
    topics.clear();
  }

  /** Returns the number of topics the log currently remembers events or ids for. */
  public int topicCount() {
    return topics.size();
  }

  /** Returns the number of closed topic names the log currently remembers. */
  public int closedTopicCount() {
    synchronized (lock) {
      return closedTopics.size();
    }
  }

  /** Returns the epoch that prefixes every id of this log instance. */
  public String epoch() {
    return epoch;
  }

  @Override
  public String toString() {
    return "MemoryEventLog@"
        + epoch
        + "["
        + (closed ? "CLOSED" : "OPEN")
        + ", topics="
        + topics.size()
        + "]";
  }

  private Sink requireStarted() {
    Sink target = sink;
    if (target == null) {
      throw new IllegalStateException(this + " not started: a hub starts its log");
    }
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    return target;
  }

  /**
   * Whether {@code seq} is a valid id of this log no older than forgotten {@code topic}'s newest
   * event: a client that had that event missed nothing.
   */
  private boolean isNewestOfForgotten(String topic, long seq) {
    assert Thread.holdsLock(lock);
    long head = forgotten.headOf(topic);
    return head >= 0 && seq >= head && seq <= sequence.get();
  }

  private boolean isClosed(String topic) {
    assert Thread.holdsLock(lock);
    return closedTopics.containsKey(topic);
  }

  /**
   * Returns the sequence of an id of this log, or -1 for anything else (malformed, other epoch).
   */
  private long parseSequence(String id) {
    if (!id.startsWith(idPrefix)) {
      return -1;
    }
    int length = id.length() - idPrefix.length();
    if (length == 0 || length > 18) {
      return -1;
    }
    long value = 0;
    for (int i = idPrefix.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private void purgeIfDue(long now) {
    long due = nextPurgeNanos.get();
    if (now - due < 0 || !nextPurgeNanos.compareAndSet(due, now + PURGE_INTERVAL_NANOS)) {
      return;
    }
    synchronized (lock) {
      for (Map.Entry<String, RetainedTopic> entry : topics.entrySet()) {
        RetainedTopic log = entry.getValue();
        log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
        if (log.isEmpty() && now - log.lastAppendNanos >= maxAgeNanos) {
          forgotten.forget(entry.getKey(), log.headSeq);
          topics.remove(entry.getKey(), log);
        }
      }
    }
  }
}
