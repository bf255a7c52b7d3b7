package org.ssekit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;
import org.ssekit.ServerSentEvent;

/**
 * An {@link EventLog} in this JVM's memory, bounded per topic by a {@link Retention}.
 *
 * <p>Ids are {@code <epoch>-<sequence>}: the epoch is random per log instance, so ids from before a
 * restart are unknown; the sequence is one counter for all topics, so an id from a forgotten
 * incarnation of a topic is never mistaken for one of a later incarnation. Appends report to the
 * sink while holding the topic's lock, which gives the hub its per-topic order and makes {@link
 * #lookUpReplay} see every event the hub has not yet fanned out to a registered subscriber.
 *
 * <p>Topics are forgotten once they retain no event and saw no append for the retention's maximum
 * age; closed topic names are remembered up to the retention's bound, oldest forgotten first.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class MemoryEventLog implements EventLog {
  private static final long PURGE_INTERVAL_NANOS = 1_000_000_000L;

  private final Retention retention;
  private final long maxAgeNanos;
  private final String epoch;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<String, TopicLog> topics = new ConcurrentHashMap<>();
  private final Object closedLock = new Object();
  // @GuardedBy("closedLock"); insertion-ordered so that the oldest closed names are forgotten first
  private final Map<String, Boolean> closedTopics;
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
    while (true) {
      TopicLog log = topics.computeIfAbsent(topic, name -> new TopicLog(sequence.get()));
      synchronized (log) {
        if (log.retired) {
          continue;
        }
        if (isClosed(topic)) {
          // computeIfAbsent may just have created this empty log for the closed topic: forget it,
          // or
          // every append to a closed topic would leave one behind.
          if (log.isEmpty()) {
            log.retired = true;
            topics.remove(topic, log);
          }
          return CompletableFuture.failedFuture(
              new IllegalStateException("topic closed: " + topic));
        }
        long seq = sequence.incrementAndGet();
        logged = new LoggedEvent(topic, idPrefix + seq, event);
        log.add(seq, now, logged);
        log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
        target.onAppended(logged);
      }
      break;
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
    if (isClosed(topic)) {
      return CompletableFuture.completedFuture(Replay.topicClosed());
    }
    TopicLog log = topics.get(topic);
    if (log == null) {
      return CompletableFuture.completedFuture(
          lastEventId == null ? Replay.known(List.of(), null) : Replay.unknown(List.of(), null));
    }
    synchronized (log) {
      if (log.retired) {
        // Forgotten (or closed) between the lookup and the lock: answer as for an absent topic.
        return lookUpReplay(topic, lastEventId);
      }
      log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
      String headId = log.headId();
      if (lastEventId == null) {
        return CompletableFuture.completedFuture(Replay.known(List.of(), headId));
      }
      long seq = parseSequence(lastEventId);
      if (seq < log.floorSeq || seq > log.headSeq) {
        return CompletableFuture.completedFuture(
            Replay.unknown(log.eventsAfter(Long.MIN_VALUE), headId));
      }
      return CompletableFuture.completedFuture(Replay.known(log.eventsAfter(seq), headId));
    }
  }

  @Override
  public int compare(String a, String b) {
    return Long.compare(parseSequence(a), parseSequence(b));
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    Sink target = requireStarted();
    synchronized (closedLock) {
      closedTopics.put(topic, Boolean.TRUE);
    }
    TopicLog log = topics.remove(topic);
    if (log != null) {
      synchronized (log) {
        log.retired = true;
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
    synchronized (closedLock) {
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

  private boolean isClosed(String topic) {
    synchronized (closedLock) {
      return closedTopics.containsKey(topic);
    }
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
    for (Map.Entry<String, TopicLog> entry : topics.entrySet()) {
      TopicLog log = entry.getValue();
      synchronized (log) {
        log.evict(now, retention.maxEvents(), retention.maxBytes(), maxAgeNanos);
        if (log.isEmpty() && now - log.lastAppendNanos >= maxAgeNanos) {
          log.retired = true;
          topics.remove(entry.getKey(), log);
        }
      }
    }
  }

  /** One topic's retained events. Every field is guarded by the instance's monitor. */
  private static final class TopicLog {
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private long headSeq;
    private String headId;
    // The newest sequence the log cannot replay after: the last evicted event, or the counter at
    // creation.
    private long floorSeq;
    private long lastAppendNanos;
    private boolean retired;

    TopicLog(long createdAtSeq) {
      this.floorSeq = createdAtSeq;
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
      }
    }

    List<LoggedEvent> eventsAfter(long seq) {
      List<LoggedEvent> after = new ArrayList<>();
      for (Entry entry : entries) {
        if (entry.seq > seq) {
          after.add(entry.event);
        }
      }
      return after;
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
  }

  private static final class Entry {
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
