package org.ssekit.redis.internal;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The topics this node follows, by name: what {@code follow} and {@code unfollow} change, what the
 * {@link StreamReader} reads, and where appends and replay lookups wait for the reader.
 *
 * <p>Following a topic starts the lookup of where its reading starts ({@link Scripts#FOLLOW}) and
 * does not wait for it; once it is known, the reader is woken to read the topic. See {@link
 * FollowedTopic} for why a replay lookup waits for that start.
 *
 * <p><b>Called under the hub's lock:</b> the hub may call {@link #follow} and {@link #unfollow}
 * while it holds its topic's lock. Neither blocks, and neither calls back into the hub: follow only
 * hands a command to Lettuce (which fails it at once while disconnected) and nothing is chained to
 * it yet, and unfollow completes the waiting stages on the completion executor. Only while the log
 * is closing, when that executor refuses work, are they completed on the caller's thread.
 *
 * <p><b>Thread safety:</b> thread-safe, without locks of its own.
 */
final class FollowedTopics {
  private final ConcurrentHashMap<String, FollowedTopic> byName = new ConcurrentHashMap<>();
  private final TopicKeys keys;
  private final ScriptRunner scripts;
  private final Executor completions;
  private final Runnable wakeReader;

  /**
   * @param completions where waiting stages are completed, never the caller's thread
   * @param wakeReader tells the reader that a topic's start is known
   */
  FollowedTopics(TopicKeys keys, ScriptRunner scripts, Executor completions, Runnable wakeReader) {
    this.keys = keys;
    this.scripts = scripts;
    this.completions = completions;
    this.wakeReader = wakeReader;
  }

  /** Follows {@code topic} if it is not followed yet, and (again) looks up where it starts. */
  void follow(String topic) {
    FollowedTopic following =
        byName.computeIfAbsent(topic, name -> new FollowedTopic(name, keys.stream(name)));
    started(following);
  }

  /** Stops following {@code topic}, completing what waits for its reader. */
  void unfollow(String topic) {
    FollowedTopic following = byName.remove(topic);
    if (following != null) {
      following.completeAll(completions);
    }
  }

  /** Returns the followed state of {@code topic}, or null if it is not followed. */
  FollowedTopic get(String topic) {
    return byName.get(topic);
  }

  /**
   * Returns a stage completed once {@code following}'s start is known (looking it up again if the
   * last lookup failed).
   */
  CompletableFuture<Void> started(FollowedTopic following) {
    return following.started(this::lookUpStart, wakeReader);
  }

  /** Returns true if {@code following} is still the followed state of its topic. */
  boolean isFollowed(FollowedTopic following) {
    return byName.get(following.topic) == following;
  }

  /** Returns a live view of the followed topics, for the reader. */
  Collection<FollowedTopic> all() {
    return byName.values();
  }

  /** Returns how many topics are followed. */
  int size() {
    return byName.size();
  }

  /**
   * Forgets every topic, completing what waits on the calling thread: the log is closing and the
   * completion executor is about to stop.
   */
  void clear() {
    for (FollowedTopic following : byName.values()) {
      following.completeAll(Runnable::run);
    }
    byName.clear();
  }

  private CompletableFuture<FollowedTopic.Start> lookUpStart(FollowedTopic topic) {
    return scripts
        .run(Scripts.FOLLOW, topic.topic, new String[0], "follow")
        .thenApply(
            reply -> {
              String epoch = ScriptRunner.text(reply, 1);
              String number = ScriptRunner.text(reply, 2);
              StreamId cursor = StreamId.parse(ScriptRunner.text(reply, 0));
              return new FollowedTopic.Start(
                  cursor == null ? StreamId.ZERO : cursor,
                  epoch,
                  number == null ? 0 : Long.parseLong(number));
            });
  }
}
