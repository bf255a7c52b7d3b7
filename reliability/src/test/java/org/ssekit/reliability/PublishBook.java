package org.ssekit.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.ssekit.redis.RedisUnavailableException;

/**
 * What every publish of a run was told: acknowledged, refused with {@link
 * RedisUnavailableException} and certainly not appended, refused and perhaps appended, or failed
 * otherwise; with how long the answer took. Events are named {@code <publisher>:<seq>}; each
 * publisher publishes one event at a time, so its sequence numbers are its append order.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class PublishBook {
  /** How a publish ended. */
  public enum Outcome {
    ACKNOWLEDGED,
    NOT_APPENDED,
    MAYBE_APPENDED,
    OTHER_FAILURE
  }

  /** One publish: its event, its topic, how it ended and how long the answer took. */
  public record Publish(
      String key, String topic, Outcome outcome, long answerNanos, String failure) {}

  private final Map<String, Publish> publishes = new ConcurrentHashMap<>();

  /** Returns the event data that {@link ClientLedger} reads back: key, topic and publish time. */
  public static String data(String key, String topic, long publishNanos) {
    return key + "|" + topic + "|" + publishNanos;
  }

  /** Records a publish of {@code key} that ended with {@code failure} (null if acknowledged). */
  public Outcome record(String key, String topic, long answerNanos, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    Outcome outcome;
    if (cause == null) {
      outcome = Outcome.ACKNOWLEDGED;
    } else if (cause instanceof RedisUnavailableException unavailable) {
      outcome = unavailable.mayHaveBeenAppended() ? Outcome.MAYBE_APPENDED : Outcome.NOT_APPENDED;
    } else {
      outcome = Outcome.OTHER_FAILURE;
    }
    publishes.put(key, new Publish(key, topic, outcome, answerNanos, describe(cause)));
    return outcome;
  }

  private static String describe(Throwable failure) {
    if (failure == null) {
      return null;
    }
    return failure.getCause() == null
        ? failure.toString()
        : failure + ", caused by " + failure.getCause();
  }

  /** Returns the publish of {@code key}, or null if there was none. */
  public Publish get(String key) {
    return publishes.get(key);
  }

  /**
   * Returns a new book with the publishes of {@code publisher} numbered {@code from} to {@code to}
   * (both included) that this one recorded: what a client that received {@code from} and {@code to}
   * must also have received in between, for {@link ClientLedger#check}.
   */
  public PublishBook between(String publisher, long from, long to) {
    PublishBook window = new PublishBook();
    for (long seq = from; seq <= to; seq++) {
      Publish publish = publishes.get(publisher + ":" + seq);
      if (publish != null) {
        window.publishes.put(publish.key(), publish);
      }
    }
    return window;
  }

  /** Returns every publish recorded so far. */
  public List<Publish> all() {
    return new ArrayList<>(publishes.values());
  }

  /** Returns how many publishes ended with {@code outcome}. */
  public long count(Outcome outcome) {
    return publishes.values().stream().filter(p -> p.outcome() == outcome).count();
  }

  /**
   * Returns the longest answer, in milliseconds, among the publishes that ended with {@code
   * outcome}.
   */
  public long maxAnswerMillis(Outcome outcome) {
    return publishes.values().stream()
            .filter(p -> p.outcome() == outcome)
            .mapToLong(Publish::answerNanos)
            .max()
            .orElse(0L)
        / 1_000_000L;
  }
}
