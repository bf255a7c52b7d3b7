package org.ssekit.redis.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.EventLog;

/**
 * Presence across the nodes sharing a log ({@link EventLog#presenceChanged}, {@link
 * EventLog.Sink#onPresence}), on {@link PresenceScripts}.
 *
 * <p><b>This node's members</b> ({@link #changed}) are kept here and in Redis: each change updates
 * this node's member set, renews its lease and adds a control entry, in one script; and every third
 * of the lease the reader thread rewrites the whole set and renews the lease ({@link #renewIfDue}),
 * which also heals a change that failed while Redis was away. A node that stops renewing (it died,
 * or lost Redis) is dropped, with its members, by the first renewal of another node after its lease
 * ended: its members leave within the lease plus a third of it.
 *
 * <p><b>The other nodes' members</b> are a view confined to the reader thread: each renewal's
 * snapshot replaces it (reporting the differences), and the control entries after the snapshot
 * ({@link #onEntry}) change it one at a time. The sink hears of a principal when the first other
 * node gains it on a topic and when the last loses it.
 *
 * <p><b>Thread safety:</b> {@link #changed} and {@link #awaitWrites} may be called by any thread
 * ({@link #lock} guards this node's set and the order of its writes; nothing else is called while
 * it is held but the asynchronous dispatch of a script); the rest runs on the reader thread.
 */
final class NodePresence {
  private static final System.Logger LOG = System.getLogger(NodePresence.class.getName());

  private final ScriptRunner scripts;
  private final String[] keys; // the lease set, this node's member set, the control stream
  private final String origin;
  private final String setPrefix;
  private final long leaseMillis;
  private final long timeoutMillis;
  private final Object lock = new Object();
  private final Set<String> own = new HashSet<>(); // @GuardedBy("lock")
  private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null); // ditto

  private final Map<String, Set<String>> others = new HashMap<>(); // confined to the reader
  private final Map<String, Integer> nodesHaving = new HashMap<>(); // confined to the reader
  private StreamId snapshotHead = StreamId.ZERO; // confined to the reader
  private long nextRenewalNanos = System.nanoTime(); // confined to the reader

  /**
   * @param origin this log's origin id, as in the control stream
   * @param keyPrefix what the log's keys start with ({@link TopicKeys#prefix()})
   * @param controlKey the control stream's key
   */
  NodePresence(
      ScriptRunner scripts,
      String origin,
      String keyPrefix,
      String controlKey,
      long leaseMillis,
      long timeoutMillis) {
    this.scripts = scripts;
    this.origin = origin;
    this.setPrefix = keyPrefix + "presence:";
    this.keys = new String[] {keyPrefix + "presence", setPrefix + origin, controlKey};
    this.leaseMillis = leaseMillis;
    this.timeoutMillis = timeoutMillis;
  }

  /** This node's first stream of {@code principal} on {@code topic} began, or its last ended. */
  void changed(String topic, String principal, boolean present) {
    String field = PresenceScripts.field(topic, principal);
    String[] args = {
      origin,
      field,
      present ? "1" : "0",
      Long.toString(leaseMillis),
      topic,
      principal,
      Integer.toString(ControlChannel.MAX_ENTRIES)
    };
    synchronized (lock) {
      if (!(present ? own.add(field) : own.remove(field))) {
        return;
      }
      // Dispatched under the lock: the connection sends scripts in the order they were called.
      lastWrite =
          scripts
              .run(PresenceScripts.CHANGE, keys, "presence", args, "record a change of")
              .whenComplete(
                  (reply, failure) -> {
                    if (failure != null) {
                      LOG.log(
                          Level.DEBUG,
                          () ->
                              "presence change not recorded ("
                                  + failure
                                  + "); the next lease renewal records this node's members");
                    }
                  });
    }
  }

  /**
   * On the reader thread: renews the lease and applies the other nodes' members to {@code sink} if
   * a renewal is due.
   *
   * @return the milliseconds until the next renewal is due
   * @throws ExecutionException if Redis failed the renewal, which the reader retries
   */
  long renewIfDue(EventLog.Sink sink)
      throws InterruptedException, ExecutionException, TimeoutException {
    long now = System.nanoTime();
    if (now - nextRenewalNanos < 0) {
      return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextRenewalNanos - now));
    }
    CompletableFuture<List<Object>> reply;
    synchronized (lock) {
      List<String> args = new ArrayList<>(3 + own.size());
      args.add(origin);
      args.add(Long.toString(leaseMillis));
      args.add(setPrefix);
      args.addAll(own);
      reply =
          scripts.run(
              PresenceScripts.RENEW,
              keys,
              "presence",
              args.toArray(new String[0]),
              "renew the lease of");
    }
    reconcile(reply.get(2 * timeoutMillis, TimeUnit.MILLISECONDS), sink);
    long periodMillis = Math.max(1, leaseMillis / 3);
    nextRenewalNanos = now + TimeUnit.MILLISECONDS.toNanos(periodMillis);
    return periodMillis;
  }

  /** On the reader thread: applies another node's control entry, unless a snapshot covers it. */
  void onEntry(StreamId id, String node, Map<String, String> fields, EventLog.Sink sink) {
    String topic = fields.get("t");
    String principal = fields.get("u");
    if (id.compareTo(snapshotHead) <= 0 || topic == null || principal == null) {
      return;
    }
    apply(node, PresenceScripts.field(topic, principal), "1".equals(fields.get("p")), sink);
  }

  /** Waits up to the command timeout for this node's presence writes sent so far. */
  void awaitWrites() {
    CompletableFuture<?> last;
    synchronized (lock) {
      last = lastWrite;
    }
    try {
      last.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.TRACE, "IGNORED: a presence write failed while closing", e);
    }
  }

  private void reconcile(List<Object> reply, EventLog.Sink sink) {
    StreamId head = StreamId.parse(String.valueOf(ScriptRunner.text(reply, 0)));
    if (head != null && head.compareTo(snapshotHead) > 0) {
      snapshotHead = head;
    }
    Map<String, Set<String>> live = new HashMap<>();
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      Set<String> fields = new HashSet<>();
      List<?> members = ScriptRunner.list(reply, i + 1);
      if (members != null) {
        for (Object member : members) {
          fields.add(String.valueOf(member));
        }
      }
      live.put(String.valueOf(reply.get(i)), fields);
    }
    for (String node : new ArrayList<>(others.keySet())) {
      if (!live.containsKey(node)) {
        replace(node, Set.of(), sink); // its lease ended: its members leave
      }
    }
    live.forEach((node, fields) -> replace(node, fields, sink));
  }

  private void replace(String node, Set<String> now, EventLog.Sink sink) {
    Set<String> before = new HashSet<>(others.getOrDefault(node, Set.of()));
    for (String field : before) {
      if (!now.contains(field)) {
        apply(node, field, false, sink);
      }
    }
    for (String field : now) {
      if (!before.contains(field)) {
        apply(node, field, true, sink);
      }
    }
  }

  private void apply(String node, String field, boolean present, EventLog.Sink sink) {
    Set<String> fields = others.computeIfAbsent(node, n -> new HashSet<>());
    boolean changed = present ? fields.add(field) : fields.remove(field);
    if (fields.isEmpty()) {
      others.remove(node);
    }
    if (!changed) {
      return;
    }
    int having = nodesHaving.merge(field, present ? 1 : -1, Integer::sum);
    if (having == 0) {
      nodesHaving.remove(field);
    }
    String[] member = PresenceScripts.parseField(field);
    if (member != null && (present ? having == 1 : having == 0)) {
      try {
        sink.onPresence(member[0], member[1], present);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "hub threw while taking a presence change", e);
      }
    }
  }
}
