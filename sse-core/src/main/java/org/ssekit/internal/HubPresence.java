package org.ssekit.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.EventLog;
import org.ssekit.HubIdentity;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.Subscription;

/**
 * Presence on a hub's presence topics ({@code SseHub.Builder.presenceTopics}): who is a member of
 * each, here and, through the {@link EventLog}, on the other nodes sharing it; and the {@code
 * presence} events of joins and leaves to the streams that {@linkplain Subscription#receivePresence
 * asked for them}.
 *
 * <p>A stream {@linkplain Subscription#attributeTo attributed} to a principal is a member of every
 * presence topic its selection names exactly (a selector such as {@code rooms/*} makes it a member
 * of none). A principal is a member of a topic while it has a stream of it here, or the log reports
 * it present on another node; it <em>joins</em> when it becomes a member and <em>leaves</em> when
 * it stops being one, so a second stream, here or elsewhere, announces nothing.
 *
 * <p><b>Order.</b> Every decision is taken under {@link #lock} and queued, in that order, as the
 * work to do after it ({@link #pending}): the log's notice of this node's change, the events to the
 * listening streams. One thread at a time drains the queue ({@link #drain()}), outside the lock, so
 * a listening stream receives a principal's join and leave in the order they happened, and the log
 * is told of them in that order too.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubPresence {
  private final Selection enabled; // null: no presence topic
  private final EventLog log;
  private final HubTopics topics;
  private final SelectionIndex selections;
  private final Object lock = new Object();

  /** Topic to principal to its number of streams of the topic here. @GuardedBy("lock") */
  private final Map<String, Map<String, Integer>> local = new HashMap<>();

  /** Topic to the principals the log reports present on other nodes. @GuardedBy("lock") */
  private final Map<String, Set<String>> remote = new HashMap<>();

  /** Each member stream's principal and presence topics. @GuardedBy("lock") */
  private final Map<RealSubscription, Member> members = new HashMap<>();

  /** The streams that receive presence events. @GuardedBy("lock") */
  private final Set<RealSubscription> listeners = new HashSet<>();

  /** The work decided under the lock, in decision order; added under it, run by {@link #drain}. */
  private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

  /** Set while one thread drains {@link #pending}: the work runs one item at a time, in order. */
  private final AtomicBoolean draining = new AtomicBoolean();

  private record Member(String principal, List<String> topics) {}

  HubPresence(Selection enabled, EventLog log, HubTopics topics, SelectionIndex selections) {
    this.enabled = enabled;
    this.log = log;
    this.topics = topics;
    this.selections = selections;
  }

  /**
   * Returns the members of {@code topic}, here and on the other nodes, sorted.
   *
   * @throws IllegalArgumentException if {@code topic} is not a presence topic
   */
  Set<String> members(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (enabled == null || !enabled.matches(topic)) {
      throw new IllegalArgumentException(
          "topic is not a presence topic (see SseHub.Builder.presenceTopics): " + topic);
    }
    Set<String> all = new TreeSet<>();
    synchronized (lock) {
      all.addAll(local.getOrDefault(topic, Map.of()).keySet());
      all.addAll(remote.getOrDefault(topic, Set.of()));
    }
    return Collections.unmodifiableSet(all);
  }

  /** {@code subscription} was attributed to {@code principal}: it joins its presence topics. */
  void attributed(RealSubscription subscription, String principal) {
    List<String> named = presenceTopicsOf(subscription);
    if (named.isEmpty()) {
      return;
    }
    synchronized (lock) {
      if (members.putIfAbsent(subscription, new Member(principal, named)) != null) {
        return;
      }
      for (String topic : named) {
        int streams =
            local.computeIfAbsent(topic, t -> new HashMap<>()).merge(principal, 1, Integer::sum);
        if (streams == 1) {
          pending.add(() -> log.presenceChanged(topic, principal, true));
          if (!remote.getOrDefault(topic, Set.of()).contains(principal)) {
            queueEvent(topic, principal, true);
          }
        }
      }
    }
    drain();
    if (subscription.state() == Subscription.State.CLOSED) {
      removed(subscription); // it ended meanwhile: removed() may have run before the put
    }
  }

  /** {@code subscription} ended: it leaves its presence topics and stops listening. */
  void removed(RealSubscription subscription) {
    synchronized (lock) {
      listeners.remove(subscription);
      Member member = members.remove(subscription);
      if (member == null) {
        return;
      }
      for (String topic : member.topics()) {
        Map<String, Integer> counts = local.get(topic);
        if (counts.merge(member.principal(), -1, Integer::sum) == 0) {
          counts.remove(member.principal());
          if (counts.isEmpty()) {
            local.remove(topic);
          }
          pending.add(() -> log.presenceChanged(topic, member.principal(), false));
          if (!remote.getOrDefault(topic, Set.of()).contains(member.principal())) {
            queueEvent(topic, member.principal(), false);
          }
        }
      }
    }
    drain();
  }

  /**
   * {@code subscription} asked for presence events: it first receives a join for every current
   * member of its presence topics, then every join and leave.
   */
  void listen(RealSubscription subscription) {
    List<String> named = presenceTopicsOf(subscription);
    synchronized (lock) {
      if (!listeners.add(subscription)) {
        return;
      }
      for (String topic : named) {
        Set<String> now = new TreeSet<>(local.getOrDefault(topic, Map.of()).keySet());
        now.addAll(remote.getOrDefault(topic, Set.of()));
        for (String principal : now) {
          ServerSentEvent event = event(principal, true, named.size() > 1 ? topic : null);
          pending.add(() -> subscription.offer(event));
        }
      }
    }
    drain();
    if (subscription.state() == Subscription.State.CLOSED) {
      removed(subscription);
    }
  }

  /** The log reports that {@code principal} is, or no longer is, a member on another node. */
  void onRemote(String topic, String principal, boolean present) {
    if (enabled == null || !enabled.matches(topic)) {
      return;
    }
    synchronized (lock) {
      Set<String> there = remote.computeIfAbsent(topic, t -> new HashSet<>());
      boolean changed = present ? there.add(principal) : there.remove(principal);
      if (there.isEmpty()) {
        remote.remove(topic);
      }
      if (changed && !local.getOrDefault(topic, Map.of()).containsKey(principal)) {
        queueEvent(topic, principal, present);
      }
    }
    drain();
  }

  /** Queues the event of a join or leave to the listening streams that name {@code topic}. */
  private void queueEvent(String topic, String principal, boolean joined) {
    assert Thread.holdsLock(lock);
    List<RealSubscription> to = new ArrayList<>();
    HubTopic hubTopic = topics.get(topic);
    if (hubTopic != null) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        if (listeners.contains(subscription)) {
          to.add(subscription);
        }
      }
    }
    for (RealSubscription subscription : selections.naming(topic)) {
      if (listeners.contains(subscription)) {
        to.add(subscription);
      }
    }
    if (to.isEmpty()) {
      return;
    }
    ServerSentEvent alone = event(principal, joined, null);
    ServerSentEvent named = event(principal, joined, topic);
    pending.add(
        () -> {
          for (RealSubscription subscription : to) {
            subscription.offer(presenceTopicsOf(subscription).size() > 1 ? named : alone);
          }
        });
  }

  /** Runs the queued work in order, on one thread at a time, outside the lock. */
  private void drain() {
    while (!pending.isEmpty() && draining.compareAndSet(false, true)) {
      try {
        Runnable next;
        while ((next = pending.poll()) != null) {
          next.run();
        }
      } finally {
        draining.set(false);
      }
    }
  }

  private List<String> presenceTopicsOf(RealSubscription subscription) {
    if (enabled == null) {
      return List.of();
    }
    List<String> named = new ArrayList<>();
    for (String topic : subscription.selection().topics()) {
      if (enabled.matches(topic)) {
        named.add(topic);
      }
    }
    return named;
  }

  /**
   * Returns the presence event of a join or leave: data {@code {"join":"alice"}}, with {@code
   * "topic"} too for a stream of several presence topics ({@code topic} not null). No id: it is not
   * in the log, and must not move the client's {@code Last-Event-ID}.
   */
  static ServerSentEvent event(String principal, boolean joined, String topic) {
    StringBuilder data = new StringBuilder(32).append('{');
    data.append(joined ? "\"join\":" : "\"leave\":");
    Json.quote(principal, data);
    if (topic != null) {
      data.append(",\"topic\":");
      Json.quote(topic, data);
    }
    return ServerSentEvent.builder()
        .event(HubIdentity.PRESENCE_EVENT_TYPE)
        .data(data.append('}').toString())
        .build();
  }
}
