package org.ssekit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ssekit.LoggedEvent;

/**
 * The hub's subscriptions to selections of several entries, indexed so that a fan-out costs what
 * matches: exact topics in a map, selectors in a trie by segment with a {@code *} child per node
 * and, per node, the selectors that end there and those that end in {@code **} below it. A topic's
 * fan-out walks the trie along the topic's segments (and every {@code *} child on the way), so its
 * cost grows with the topic's depth and the matching subscriptions, not with the subscriptions or
 * selectors that do not match.
 *
 * <p>Writes (subscribing, leaving) take {@link #lock}; fan-out reads copy-on-write arrays and
 * concurrent maps without it, so publishing never waits for subscribers to join or leave. A fan-out
 * reaches a subscription once per matching entry; {@link SelectionMembership#deliversVia} lets only
 * the first one deliver.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SelectionIndex {
  private static final Registration[] NONE = new Registration[0];
  private static final int READY_HANDOVER = 64;

  /** One entry of one subscription's selection, as registered in the index. */
  private static final class Registration {
    final RealSubscription subscription;
    final SelectionMembership membership;
    final int entryIndex;

    Registration(RealSubscription subscription, int entryIndex) {
      this.subscription = subscription;
      this.membership = subscription.membership;
      this.entryIndex = entryIndex;
    }
  }

  /** A trie node: the selectors whose segments so far lead here. */
  private static final class Node {
    final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
    volatile Node one; // the child for *; written under the index's lock
    volatile Registration[] ending = NONE; // selectors that end at this node
    volatile Registration[] below = NONE; // selectors that end in ** after this node

    boolean isEmpty() {
      return children.isEmpty() && one == null && ending.length == 0 && below.length == 0;
    }
  }

  private final Object lock = new Object();
  private final ConcurrentHashMap<String, Registration[]> exact = new ConcurrentHashMap<>();
  private final Node root = new Node();
  private final Set<RealSubscription> all = ConcurrentHashMap.newKeySet();
  private volatile int size; // written under lock; read by fan-outs to skip an empty index

  /** Registers every entry of {@code subscription}'s selection. */
  void add(RealSubscription subscription) {
    SelectionMembership membership = subscription.membership;
    synchronized (lock) {
      for (String topic : membership.selection.topics()) {
        Registration registration = new Registration(subscription, SelectionMembership.EXACT);
        exact.put(topic, with(exact.getOrDefault(topic, NONE), registration));
      }
      String[][] selectors = membership.selectors();
      for (int i = 0; i < selectors.length; i++) {
        Registration registration = new Registration(subscription, i);
        Node node = root;
        String[] segments = selectors[i];
        int last = segments.length - 1;
        for (int s = 0; s < last; s++) {
          node = child(node, segments[s]);
        }
        if (TopicNames.isAny(segments[last])) {
          node.below = with(node.below, registration);
        } else {
          node = child(node, segments[last]);
          node.ending = with(node.ending, registration);
        }
      }
      all.add(subscription);
      size = all.size();
    }
  }

  /** Forgets every entry of {@code subscription}'s selection, and trie nodes left empty. */
  void remove(RealSubscription subscription) {
    SelectionMembership membership = subscription.membership;
    synchronized (lock) {
      if (!all.remove(subscription)) {
        return;
      }
      size = all.size();
      for (String topic : membership.selection.topics()) {
        Registration[] left = without(exact.getOrDefault(topic, NONE), subscription);
        if (left.length == 0) {
          exact.remove(topic);
        } else {
          exact.put(topic, left);
        }
      }
      for (String[] segments : membership.selectors()) {
        List<Node> path = new ArrayList<>(segments.length + 1);
        path.add(root);
        Node node = root;
        int last = segments.length - 1;
        boolean any = TopicNames.isAny(segments[last]);
        for (int s = 0; s < (any ? last : segments.length) && node != null; s++) {
          node = TopicNames.isOne(segments[s]) ? node.one : node.children.get(segments[s]);
          path.add(node);
        }
        if (node == null) {
          continue; // not registered: cannot happen, as add and remove pair up under the lock
        }
        if (any) {
          node.below = without(node.below, subscription);
        } else {
          node.ending = without(node.ending, subscription);
        }
        for (int depth = path.size() - 1; depth > 0 && path.get(depth).isEmpty(); depth--) {
          Node parent = path.get(depth - 1);
          String segment = segments[depth - 1];
          if (TopicNames.isOne(segment)) {
            parent.one = null;
          } else {
            parent.children.remove(segment, path.get(depth));
          }
        }
      }
    }
  }

  /**
   * Offers {@code event}, with its latency {@code sample} (or null if it is not sampled), to every
   * subscription whose selection matches its topic, once each, and queues those it made ready on
   * {@code ready}.
   */
  void fanOut(LoggedEvent event, ReadyQueue ready, LatencySampling.Sample sample) {
    if (size == 0) {
      return;
    }
    FanOut fanOut = new FanOut(event, ready, sample);
    Registration[] exactly = exact.get(event.topic());
    if (exactly != null) {
      fanOut.visit(exactly);
    }
    walk(root, event.topic(), 0, fanOut);
    ready.addAll(fanOut.batch);
  }

  /** Tells the subscriptions that name {@code topic} exactly that it was closed. */
  void topicClosed(String topic) {
    for (Registration registration : exact.getOrDefault(topic, NONE)) {
      registration.subscription.topicsClosed(List.of(topic));
    }
  }

  /** Returns the subscriptions that name {@code topic} exactly. */
  List<RealSubscription> naming(String topic) {
    List<RealSubscription> naming = new ArrayList<>();
    for (Registration registration : exact.getOrDefault(topic, NONE)) {
      naming.add(registration.subscription);
    }
    return naming;
  }

  /** Returns every subscription in the index, as a live view. */
  Collection<RealSubscription> all() {
    return all;
  }

  /** Walks the trie along {@code topic}'s segments from the one that starts at {@code pos}. */
  private static void walk(Node node, String topic, int pos, FanOut fanOut) {
    fanOut.visit(node.below);
    int n = topic.length();
    if (pos > n) {
      fanOut.visit(node.ending);
      return;
    }
    int end = topic.indexOf('/', pos);
    if (end < 0) {
      end = n;
    }
    if (!node.children.isEmpty()) {
      Node child = node.children.get(topic.substring(pos, end));
      if (child != null) {
        walk(child, topic, end + 1, fanOut);
      }
    }
    Node one = node.one;
    if (one != null) {
      walk(one, topic, end + 1, fanOut);
    }
  }

  private Node child(Node node, String segment) {
    assert Thread.holdsLock(lock);
    if (TopicNames.isOne(segment)) {
      if (node.one == null) {
        node.one = new Node();
      }
      return node.one;
    }
    return node.children.computeIfAbsent(segment, ignored -> new Node());
  }

  private static Registration[] with(Registration[] registrations, Registration added) {
    Registration[] next = Arrays.copyOf(registrations, registrations.length + 1);
    next[registrations.length] = added;
    return next;
  }

  private static Registration[] without(Registration[] registrations, RealSubscription removed) {
    int kept = 0;
    Registration[] next = new Registration[registrations.length];
    for (Registration registration : registrations) {
      if (registration.subscription != removed) {
        next[kept++] = registration;
      }
    }
    return kept == 0 ? NONE : Arrays.copyOf(next, kept);
  }

  /** One event's fan-out: confined to the thread that runs it. */
  private static final class FanOut {
    final LoggedEvent event;
    final byte[] encoded; // looked up once, not once per subscriber
    final String topic;
    final ReadyQueue ready;
    final ReadyQueue.Batch batch = new ReadyQueue.Batch();
    final LatencySampling.Sample sample; // or null

    FanOut(LoggedEvent event, ReadyQueue ready, LatencySampling.Sample sample) {
      this.event = event;
      this.encoded = LoggedEvents.encoded(event);
      this.topic = event.topic();
      this.ready = ready;
      this.sample = sample;
    }

    void visit(Registration[] registrations) {
      for (Registration registration : registrations) {
        if (registration.membership.deliversVia(registration.entryIndex, topic)) {
          registration.subscription.offerLive(event, encoded, batch, sample);
        }
        if (batch.size() == READY_HANDOVER) {
          ready.addAll(batch);
        }
      }
    }
  }
}
