package org.ssekit.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs the log's {@link Scripts} on a topic's (or the log's) keys over the command connection:
 * {@code EVALSHA}, falling back to {@code EVAL} when Redis does not have the script cached, with
 * failures turned into the log's exceptions by {@link RedisFailures}. Also reads the elements of a
 * script's reply.
 *
 * <p>Nothing is retried but the fallback, which is safe because a missing script ran nothing.
 *
 * <p><b>Thread safety:</b> thread-safe. The returned stages complete on Lettuce's threads.
 */
final class ScriptRunner {
  private final RedisLink commands;
  private final TopicKeys keys;
  private final RedisFailures failures;

  ScriptRunner(RedisLink commands, TopicKeys keys, RedisFailures failures) {
    this.commands = commands;
    this.keys = keys;
    this.failures = failures;
  }

  /**
   * Runs {@code script} on {@code topic}'s keys ({@link TopicKeys#scriptKeys}).
   *
   * @param action what the script does, for messages ({@code "append to"}: "did not append to topic
   *     t")
   * @return a stage completed with the reply, or failed with {@link
   *     org.ssekit.redis.RedisUnavailableException} (or another runtime exception of the client)
   */
  CompletableFuture<List<Object>> run(
      Scripts.Script script, String topic, String[] args, String action) {
    return run(script, keys.scriptKeys(topic), "topic " + topic, args, action);
  }

  /**
   * Runs {@code script} on {@code scriptKeys}.
   *
   * @param subject what the script works on, for messages ({@code "topic t"})
   * @param action what the script does, for messages
   * @return a stage completed with the reply, or failed as {@link #run(Scripts.Script, String,
   *     String[], String)}
   */
  CompletableFuture<List<Object>> run(
      Scripts.Script script, String[] scriptKeys, String subject, String[] args, String action) {
    if (!commands.isOpen()) {
      return CompletableFuture.failedFuture(failures.notSent(action, subject, null));
    }
    CompletableFuture<List<Object>> result;
    try {
      result =
          commands
              .async()
              .<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, scriptKeys, args)
              .toCompletableFuture()
              .handle(
                  (reply, failure) -> {
                    if (failure == null) {
                      return CompletableFuture.completedFuture(reply);
                    }
                    if (RedisFailures.unwrap(failure) instanceof RedisNoScriptException) {
                      // Not cached (Redis restarted, or the first use): nothing ran, so running it
                      // is safe.
                      return commands
                          .async()
                          .<List<Object>>eval(
                              script.text(), ScriptOutputType.MULTI, scriptKeys, args)
                          .toCompletableFuture();
                    }
                    return CompletableFuture.<List<Object>>failedFuture(failure);
                  })
              .thenCompose(stage -> stage);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle(
        (reply, failure) -> {
          if (failure != null) {
            throw new CompletionException(failures.translate(failure, subject, action));
          }
          return reply;
        });
  }

  /**
   * Returns element {@code index} of a script's reply as text, or null: a Lua {@code false} arrives
   * as null over RESP2 and as {@code Boolean.FALSE} over RESP3.
   */
  static String text(List<Object> reply, int index) {
    Object value = reply.get(index);
    return value instanceof String ? (String) value : null;
  }

  /** Returns element {@code index} of a script's reply as a list, or null (see {@link #text}). */
  static List<?> list(List<Object> reply, int index) {
    Object value = reply.get(index);
    return value instanceof List ? (List<?>) value : null;
  }
}
