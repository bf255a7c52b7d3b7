package org.ssekit.redis.internal;

import io.lettuce.core.XAddArgs;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.ssekit.EventLog;

/**
 * What the nodes sharing a log tell each other besides events: a revocation ({@link
 * org.ssekit.SseHub#closeStreamsOf}) or a presence change ({@link NodePresence}), as an entry of
 * the log's control stream {@code <prefix>ctl} that every node's {@link StreamReader} reads with
 * the index, in the same blocking read.
 *
 * <p><b>No loop back, no double application.</b> Each log has a random origin id, written into
 * every entry it adds; a node skips the entries of its own origin (its hub applied them before
 * announcing), and reads every other entry once, in the stream's order, from where its reader
 * stood: a node whose reader was cut off from Redis applies, once it is back, what was announced
 * meanwhile. A node that starts reads from the newest entry on (it had no stream to end before).
 *
 * <p>The stream keeps about {@value #MAX_ENTRIES} entries ({@code MAXLEN ~}): a reader that falls
 * further behind misses the oldest.
 *
 * <p><b>Thread safety:</b> thread-safe; {@link #deliver} runs on the reader thread.
 */
final class ControlChannel {
  private static final System.Logger LOG = System.getLogger(ControlChannel.class.getName());

  /** The field of the origin: the log that added the entry. */
  static final String ORIGIN = "o";

  /** The field of a revocation: the revoked principal. */
  static final String REVOKED = "r";

  /** The field of a presence change ({@link NodePresence}): 1 joined, 0 left. */
  static final String PRESENCE = "p";

  /** How many entries the control stream keeps, approximately. */
  static final int MAX_ENTRIES = 1000;

  private final RedisLink commands;
  private final String key;
  private final RedisFailures failures;
  private final String origin = EventId.newEpoch() + EventId.newEpoch();
  private NodePresence presence; // set once, before the reader starts

  ControlChannel(RedisLink commands, String key, RedisFailures failures) {
    this.commands = commands;
    this.key = key;
    this.failures = failures;
  }

  /** Returns this log's origin id. */
  String origin() {
    return origin;
  }

  /** Routes presence entries to {@code presence}; called once, before the reader starts. */
  void presence(NodePresence presence) {
    this.presence = presence;
  }

  /** Returns the key of the control stream. */
  String key() {
    return key;
  }

  /**
   * Adds the revocation of {@code principal} for the other nodes.
   *
   * @return a stage completed once Redis added it, or failed with {@link
   *     org.ssekit.redis.RedisUnavailableException}
   */
  CompletableFuture<Void> announceRevocation(String principal) {
    return add(Map.of(ORIGIN, origin, REVOKED, principal), "announce a revocation to", "the nodes");
  }

  /** Reports a control entry read from Redis to {@code sink}, unless this log added it. */
  void deliver(StreamId entryId, Map<String, String> fields, EventLog.Sink sink) {
    String from = fields.get(ORIGIN);
    if (from == null || origin.equals(from)) {
      return;
    }
    if (fields.containsKey(PRESENCE)) {
      presence.onEntry(entryId, from, fields, sink);
      return;
    }
    String principal = fields.get(REVOKED);
    if (principal == null || principal.isEmpty()) {
      LOG.log(
          Level.WARNING,
          () -> "skipped control entry " + entryId + ", which this log did not write");
      return;
    }
    sink.onRevoked(principal);
  }

  private CompletableFuture<Void> add(Map<String, String> fields, String action, String subject) {
    if (!commands.isOpen()) {
      // Never queued while Redis is away (as appends): the caller learns of it at once.
      return CompletableFuture.failedFuture(failures.notSent(action, subject, null));
    }
    CompletableFuture<String> added;
    try {
      added =
          commands
              .async()
              .xadd(key, XAddArgs.Builder.maxlen(MAX_ENTRIES).approximateTrimming(), fields)
              .toCompletableFuture();
    } catch (RuntimeException e) {
      added = CompletableFuture.failedFuture(e);
    }
    return added.handle(
        (id, failure) -> {
          if (failure != null) {
            throw new CompletionException(failures.translate(failure, subject, action));
          }
          return null;
        });
  }
}
