package org.ssekit.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;

/**
 * Every event one client received, in order, checked against a {@link PublishBook}: no duplicate,
 * no reordering within a publisher, no event of a topic the client may not read, no event whose
 * publish was refused as certainly not appended, and every acknowledged event of the client's
 * topics either delivered or covered by a gap notice ({@code event: ssekit-gap}) received where it
 * would have been (after the publisher's previous delivered event, before its next one).
 *
 * <p><b>Thread safety:</b> not thread-safe: one thread adds and checks.
 */
public final class ClientLedger {
  private record Entry(
      boolean gap, String id, String key, String publisher, long seq, String topic) {}

  private final String name;
  private final Predicate<String> topics;
  private final Predicate<String> allowed;
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Long> lastSeq = new HashMap<>();
  private final Set<String> ids = new HashSet<>();
  private final Set<String> keys = new HashSet<>();
  private long maxLatencyNanos;
  private int gaps;

  /**
   * Creates the ledger of client {@code name}, subscribed to the topics {@code topics} accepts and
   * allowed to read those {@code allowed} accepts.
   */
  public ClientLedger(String name, Predicate<String> topics, Predicate<String> allowed) {
    this.name = name;
    this.topics = topics;
    this.allowed = allowed;
  }

  /** Records the next event the client received; {@code receivedNanos} is when it arrived. */
  public void add(ReceivedEvent event, long receivedNanos) {
    if (SseHub.GAP_EVENT_TYPE.equals(event.type())) {
      gaps++;
      entries.add(new Entry(true, event.lastEventId(), null, null, -1, null));
      return;
    }
    String[] parts = event.data().split("\\|", -1);
    if (!"message".equals(event.type()) || parts.length != 3) {
      violations.add(name + ": unexpected event " + event);
      return;
    }
    String key = parts[0];
    String topic = parts[1];
    String publisher = key.substring(0, key.indexOf(':'));
    long seq = Long.parseLong(key.substring(key.indexOf(':') + 1));
    maxLatencyNanos = Math.max(maxLatencyNanos, receivedNanos - Long.parseLong(parts[2]));
    if (!allowed.test(topic)) {
      violations.add(name + ": received " + key + " of forbidden topic " + topic);
    } else if (!topics.test(topic)) {
      violations.add(name + ": received " + key + " of " + topic + ", outside its selection");
    }
    if (!ids.add(event.lastEventId()) | !keys.add(key)) {
      violations.add(name + ": duplicate " + key + " (id " + event.lastEventId() + ")");
    }
    Long previous = lastSeq.put(publisher, seq);
    if (previous != null && previous >= seq) {
      violations.add(name + ": " + key + " after " + publisher + ":" + previous + " (reordered)");
    }
    entries.add(new Entry(false, event.lastEventId(), key, publisher, seq, topic));
  }

  /** Returns the gap notices received. */
  public int gaps() {
    return gaps;
  }

  /** Returns the events received, gap notices excluded. */
  public int events() {
    return entries.size() - gaps;
  }

  /** Returns the longest time from publish to receipt, in milliseconds. */
  public long maxLatencyMillis() {
    return maxLatencyNanos / 1_000_000L;
  }

  /** Starts measuring {@link #maxLatencyMillis()} anew, from the next event on. */
  public void resetMaxLatency() {
    maxLatencyNanos = 0L;
  }

  /**
   * Returns the number of the first event of {@code publisher} the client received, or -1 if none.
   */
  public long firstSeq(String publisher) {
    for (Entry entry : entries) {
      if (!entry.gap() && entry.publisher().equals(publisher)) {
        return entry.seq();
      }
    }
    return -1;
  }

  /**
   * Returns the number of the last event of {@code publisher} the client received, or -1 if none.
   */
  public long lastSeq(String publisher) {
    return lastSeq.getOrDefault(publisher, -1L);
  }

  /**
   * Returns true if the client received an event of {@code publisher} numbered above {@code seq}.
   */
  public boolean receivedAfter(String publisher, long seq) {
    Long last = lastSeq.get(publisher);
    return last != null && last > seq;
  }

  /**
   * Returns what is wrong with this client's stream against {@code book}: violations seen while
   * adding, events refused as not appended yet delivered, and acknowledged events of its topics
   * neither delivered nor covered by a gap notice. Empty if nothing is wrong.
   */
  public List<String> check(PublishBook book) {
    List<String> found = new ArrayList<>(violations);
    Map<String, Integer> positions = new HashMap<>();
    Map<String, List<Integer>> byPublisher = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (entry.gap()) {
        continue;
      }
      positions.put(entry.key(), i);
      byPublisher.computeIfAbsent(entry.publisher(), p -> new ArrayList<>()).add(i);
      PublishBook.Publish publish = book.get(entry.key());
      if (publish != null && publish.outcome() == PublishBook.Outcome.NOT_APPENDED) {
        found.add(name + ": received " + entry.key() + ", whose publish failed as not appended");
      }
    }
    for (PublishBook.Publish publish : book.all()) {
      if (publish.outcome() != PublishBook.Outcome.ACKNOWLEDGED
          || !topics.test(publish.topic())
          || positions.containsKey(publish.key())) {
        continue;
      }
      String publisher = publish.key().substring(0, publish.key().indexOf(':'));
      long seq = Long.parseLong(publish.key().substring(publish.key().indexOf(':') + 1));
      int before = -1;
      int after = entries.size();
      for (int index : byPublisher.getOrDefault(publisher, List.of())) {
        long other = entries.get(index).seq();
        if (other < seq) {
          before = index;
        } else if (other > seq) {
          after = index;
          break;
        }
      }
      boolean covered = false;
      for (int i = before + 1; i < after && !covered; i++) {
        covered = entries.get(i).gap();
      }
      if (!covered) {
        found.add(
            name
                + ": acknowledged "
                + publish.key()
                + " ("
                + publish.topic()
                + ") neither delivered nor covered by a gap notice");
      }
    }
    return found;
  }
}
