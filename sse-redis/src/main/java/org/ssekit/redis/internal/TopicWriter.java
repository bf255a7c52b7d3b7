package org.ssekit.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ssekit.LoggedEvent;
import org.ssekit.ServerSentEvent;

/**
 * The write path: appends events ({@link Scripts#APPEND}) and closes topics ({@link
 * Scripts#CLOSE}), each to the log's index and the topic's stream under one id. The returned stage
 * completes only once this node's reader has reported the new entry to the hub, as the core's
 * contract asks; that wait is bounded by the command timeout, because the write itself succeeded
 * and must not be reported as failed (the caller might publish the event again).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class TopicWriter {
  private final ScriptRunner scripts;
  private final ReadProgress progress;
  private final StreamTrim trim;
  private final String logMaxLength;
  private final String closedTtlMillis;
  private final long timeoutMillis;

  /**
   * @param closedTtlMillis how long a closed topic is remembered, in ms
   * @param timeoutMillis how long to wait for this node's reader after a write, in ms
   */
  TopicWriter(
      ScriptRunner scripts,
      ReadProgress progress,
      StreamTrim trim,
      long closedTtlMillis,
      long timeoutMillis) {
    this.scripts = scripts;
    this.progress = progress;
    this.trim = trim;
    this.logMaxLength = Integer.toString(trim.logMaxLength());
    this.closedTtlMillis = Long.toString(closedTtlMillis);
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Appends {@code event} to {@code topic}.
   *
   * @return a stage completed with the logged event, or failed with {@link IllegalStateException}
   *     if the topic is closed, or with {@link org.ssekit.redis.RedisUnavailableException}
   */
  CompletableFuture<LoggedEvent> append(String topic, ServerSentEvent event) {
    List<String> fields = EntryCodec.encode(event);
    String[] args = new String[7 + fields.size()];
    args[0] = EventId.newEpoch();
    args[1] = trim.maxLength();
    args[2] = trim.minAgeMillis();
    args[3] = trim.minAgeMillis();
    args[4] = logMaxLength;
    args[5] = topic;
    args[6] = trim.metaTtlMillis();
    for (int i = 0; i < fields.size(); i++) {
      args[7 + i] = fields.get(i);
    }
    return scripts
        .run(Scripts.APPEND, topic, args, "append to")
        .thenCompose(
            reply -> {
              if ("closed".equals(ScriptRunner.text(reply, 0))) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("topic closed: " + topic));
              }
              String epoch = ScriptRunner.text(reply, 1);
              String entry = ScriptRunner.text(reply, 2);
              LoggedEvent logged = new LoggedEvent(topic, EventId.format(epoch, entry), event);
              return reported(entry).thenApply(delivered -> logged);
            });
  }

  /**
   * Closes {@code topic}: appends the closing entry that every node's reader reports as closed.
   *
   * @return a stage completed once closed and reported to this node's hub, or failed with {@link
   *     org.ssekit.redis.RedisUnavailableException}
   */
  CompletableFuture<Void> closeTopic(String topic) {
    String[] args = {closedTtlMillis, EventId.newEpoch(), topic, logMaxLength};
    return scripts
        .run(Scripts.CLOSE, topic, args, "close")
        .thenCompose(
            reply ->
                "closed".equals(ScriptRunner.text(reply, 0))
                    ? reported(ScriptRunner.text(reply, 1))
                    : CompletableFuture.completedFuture(null));
  }

  /** Returns a stage completed once the reader reported {@code entry}, or after the timeout. */
  private CompletableFuture<Void> reported(String entry) {
    return progress
        .whenDelivered(StreamId.parse(entry))
        .completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
