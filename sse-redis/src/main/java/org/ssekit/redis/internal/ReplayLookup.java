package org.ssekit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ssekit.Replay;
import org.ssekit.Retention;

/**
 * The replay path of one-topic streams: looks up where a subscriber starts ({@link Scripts#OPEN},
 * decoded by {@link ReplayReply}), in the order the hand-over needs: the lookup runs only once this
 * node's reader knows where it starts (so the replay's head is never older than that), and its
 * stage completes only once the reader has reported every entry up to the replay's head (see {@link
 * ReadProgress}). {@link SelectionLookup} does the same for selections.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class ReplayLookup {
  private final ScriptRunner scripts;
  private final ReadProgress progress;
  private final ReplayReply replies;
  private final RedisFailures failures;
  private final Retention retention;
  private final long timeoutMillis;

  /**
   * @param timeoutMillis how long to wait for this node's reader, in ms
   */
  ReplayLookup(
      ScriptRunner scripts,
      ReadProgress progress,
      ReplayReply replies,
      RedisFailures failures,
      Retention retention,
      long timeoutMillis) {
    this.scripts = scripts;
    this.progress = progress;
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
    return readerStarted("topic " + topic)
        .thenCompose(started -> scripts.run(Scripts.OPEN, topic, args, "look up the replay of"))
        .thenApply(reply -> replies.replay(topic, lastEventId, presented, reply))
        .thenCompose(replay -> handOver("topic " + topic, replay));
  }

  /**
   * Returns a stage completed once this node's reader knows where it starts, or failed after the
   * command timeout (Redis has been away since the log started).
   */
  CompletableFuture<Void> readerStarted(String subject) {
    CompletableFuture<Void> started = progress.started();
    if (started.isDone()) {
      return started;
    }
    CompletableFuture<Void> bounded = new CompletableFuture<>();
    // A copy: the shared stage must not fail for every later caller when this wait times out.
    started
        .copy()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                bounded.complete(null);
              } else {
                bounded.completeExceptionally(failures.notReadUpTo(subject, "its start", failure));
              }
            });
    return bounded;
  }

  /**
   * Completes with {@code replay} once the reader has reported every entry up to its head, or fails
   * after the command timeout.
   */
  CompletableFuture<Replay> handOver(String subject, Replay replay) {
    EventId head = replay.headId() == null ? null : EventId.parse(replay.headId());
    if (head == null) {
      return CompletableFuture.completedFuture(replay);
    }
    CompletableFuture<Replay> handedOver = new CompletableFuture<>();
    progress
        .whenDelivered(head.entry())
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (delivered, failure) -> {
              if (failure == null) {
                handedOver.complete(replay);
              } else {
                handedOver.completeExceptionally(
                    failures.notReadUpTo(subject, replay.headId(), failure));
              }
            });
    return handedOver;
  }
}
