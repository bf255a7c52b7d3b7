package org.ssekit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.ssekit.redis.RedisUnavailableException;

/** How Lettuce's failures become the log's exceptions. */
class RedisFailuresTest {
  private final RedisFailures failures = new RedisFailures("127.0.0.1:6379", 1000);

  @Test
  void aConnectionResetWhileAnAppendIsInFlightIsRedisUnavailableAndMayHaveBeenAppended() {
    // What Lettuce completes the command in flight with when Redis is killed (kill -9): the
    // channel's IOException itself, not a RedisException. Found by the reliability suite's
    // RedisFaultsTest, where such a publish failed with IllegalStateException("could not append").
    RuntimeException failure =
        failures.translate(
            new CompletionException(new IOException("Connection reset by peer")),
            "topic rooms/lobby",
            "append to");

    assertThat(failure)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessage(
            "redis connection to 127.0.0.1:6379 lost; may or may not have done: append to topic"
                + " rooms/lobby")
        .hasCauseInstanceOf(IOException.class);
    assertThat(((RedisUnavailableException) failure).mayHaveBeenAppended()).isTrue();
  }

  @Test
  void aTimeoutMayHaveBeenAppended() {
    RuntimeException failure =
        failures.translate(new RedisCommandTimeoutException("timed out"), "topic t", "append to");

    assertThat(failure).isInstanceOf(RedisUnavailableException.class);
    assertThat(((RedisUnavailableException) failure).mayHaveBeenAppended()).isTrue();
  }
}
