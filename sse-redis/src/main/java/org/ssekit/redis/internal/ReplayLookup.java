package org.ssekit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ssekit.Replay;
import org.ssekit.Retention;

/**
 * The replay path: looks up where a subscriber starts ({@link Scripts#OPEN}, decoded by {@link
 * ReplayReply}), in the order the hand-over needs. If this node follows the topic, the lookup runs
 * only once the topic's reading start is known (so the replay's head is never older than where
 * reading starts), and its stage completes only once the reader has reported every entry up to the
 * replay's head: the hub drops live events up to the head only while the subscriber is opening, so
 * one reported later would reach it twice.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class ReplayLookup {
  private final ScriptRunner scripts;
  private final FollowedTopics followed;
  private final ReplayReply replies;
  private final RedisFailures failures;
  private final Retention retention;
  private final long timeoutMillis;

  /**
   * @param timeoutMillis how long to wait for this node's reader to reach the replay's head, in ms
   */
  ReplayLookup(
      ScriptRunner scripts,
      FollowedTopics followed,
      ReplayReply replies,
      RedisFailures failures,
      Retention retention,
      long timeoutMillis) {
    this.scripts = scripts;
    this.followed = followed;
    this.replies = replies;
    this.failures = failures;
    this.retention = retention;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Looks up the replay of {@code topic} for a subscriber that presents {@code lastEventId} (or
   * null).
   *
   * @return a stage completed with the replay, or failed with {@link
   *     org.ssekit.redis.RedisUnavailableException}
   */
  CompletableFuture<Replay> lookUp(String topic, String lastEventId) {
    EventId presented = lastEventId == null ? null : EventId.parse(lastEventId);
    String mode = lastEventId == null ? "head" : presented == null ? "retained" : "after";
    String[] args = {
      mode,
      presented == null ? "" : presented.entry().toString(),
      presented == null ? "" : presented.epoch(),
      Integer.toString(retention.maxEvents())
    };
    FollowedTopic following = followed.get(topic);
    CompletableFuture<Void> ready =
        following == null ? CompletableFuture.completedFuture(null) : followed.started(following);
    return ready
        .thenCompose(started -> scripts.run(Scripts.OPEN, topic, args, "look up the replay of"))
        .thenApply(reply -> replies.replay(topic, lastEventId, presented, reply))
        .thenCompose(replay -> handOver(topic, following, replay));
  }

  /** Completes with {@code replay} once the reader has delivered every entry up to its head. */
  private CompletableFuture<Replay> handOver(String topic, FollowedTopic following, Replay replay) {
    EventId head = replay.headId() == null ? null : EventId.parse(replay.headId());
    if (following == null || head == null || !followed.isFollowed(following)) {
      return CompletableFuture.completedFuture(replay);
    }
    CompletableFuture<Replay> handedOver = new CompletableFuture<>();
    following
        .whenDelivered(head.entry())
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (delivered, failure) -> {
              if (failure == null) {
                handedOver.complete(replay);
              } else {
                handedOver.completeExceptionally(
                    failures.notReadUpTo(topic, replay.headId(), failure));
              }
            });
    return handedOver;
  }
}
