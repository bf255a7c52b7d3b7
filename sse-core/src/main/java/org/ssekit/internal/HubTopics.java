package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ssekit.EventLog;
import org.ssekit.Replay;

/**
 * A hub's topics by name, and its log's following of them: the log follows a topic exactly while
 * the hub has subscribers for it.
 *
 * <p>A topic's first subscriber makes the log {@link EventLog#follow follow} it, and its last one
 * leaving makes the log {@link EventLog#unfollow unfollow} it and retires that incarnation of the
 * topic. Both calls are foreign code, so they are made after the topic's lock is released, and a
 * topic may empty and refill while one is under way. Their order is kept by chaining (see {@link
 * HubTopic}): a retired incarnation stays in the map until its unfollow has returned, and a
 * subscriber that finds it retired installs a successor whose follow waits for that unfollow. An
 * incarnation created because none was in the map follows at once: its predecessor's unfollow had
 * returned before the predecessor left the map. So the calls for one topic are made one at a time,
 * in the order of the decisions, and the last one is a follow if and only if the topic has
 * subscribers.
 *
 * <p>A subscriber looks up its replay only after its incarnation's follow ({@link
 * HubTopic#followed()}): the log reports only what is appended after it follows a topic.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HubTopics {
  private static final System.Logger LOG = System.getLogger(HubTopics.class.getName());

  private final EventLog log;
  private final String hubName;
  private final ConcurrentHashMap<String, HubTopic> topics = new ConcurrentHashMap<>();

  HubTopics(EventLog log, String hubName) {
    this.log = log;
    this.hubName = hubName;
  }

  /**
   * Adds the subscriber that {@code subscriber} makes for the current incarnation of {@code name}
   * (it may be asked more than once, if an incarnation retires meanwhile).
   *
   * @return the added subscription, or null if the topic holds {@code maxPerTopic} subscribers
   */
  RealSubscription join(
      String name, int maxPerTopic, Function<HubTopic, RealSubscription> subscriber) {
    while (true) {
      HubTopic topic = topics.computeIfAbsent(name, HubTopic::first);
      RealSubscription subscription = subscriber.apply(topic);
      switch (topic.add(subscription, maxPerTopic)) {
        case FIRST:
          topic.follow(this::follow);
          return subscription;
        case ADDED:
          return subscription;
        case LIMIT:
          return null;
        default:
          // Retired, and still in the map: its unfollow has not returned yet.
          topics.replace(name, topic, topic.successor());
      }
    }
  }

  /** Forgets {@code subscription}, a subscriber of {@code topic} that ended. */
  void leave(RealSubscription subscription, HubTopic topic) {
    if (topic.remove(subscription)) {
      topic.unfollow(this::unfollow, () -> topics.remove(topic.name, topic));
    }
  }

  /** Returns the current incarnation of {@code name}, or null if it has none. */
  HubTopic get(String name) {
    return topics.get(name);
  }

  /** Returns the topics, as a live view. */
  Collection<HubTopic> all() {
    return topics.values();
  }

  /** Returns the number of topics (a retired one counts until the log has unfollowed it). */
  int size() {
    return topics.size();
  }

  /** Tells the log to follow {@code topic}; a log that throws must not wedge the topic. */
  private void follow(String topic) {
    try {
      log.follow(topic);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> "hub " + hubName + " log failed to follow " + topic, e);
    }
  }

  private void unfollow(String topic) {
    try {
      log.unfollow(topic);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> "hub " + hubName + " log failed to unfollow " + topic, e);
    }
  }

  /** Runs a replay lookup, turning a log that throws into a failed stage. */
  static CompletionStage<Replay> lookUp(Supplier<CompletionStage<Replay>> lookUp) {
    try {
      return lookUp.get();
    } catch (RuntimeException e) {
      // A log that throws rather than failing its stage: the subscriber is admitted already, so end
      // it the same way (ERROR) instead of leaving it registered forever.
      return CompletableFuture.failedFuture(e);
    }
  }
}
