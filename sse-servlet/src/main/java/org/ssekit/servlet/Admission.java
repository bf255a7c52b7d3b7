package org.ssekit.servlet;

import java.util.Objects;
import org.ssekit.SseListener;

/**
 * An {@link SseServlet}'s decision about one request: join a topic, or refuse with a 4xx status.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Admission {
  private final String topic;
  private final SseListener listener;
  private final int status;
  private final String reason;

  private Admission(String topic, SseListener listener, int status, String reason) {
    this.topic = topic;
    this.listener = listener;
    this.status = status;
    this.reason = reason;
  }

  /**
   * Admits the client to {@code topic}.
   *
   * @throws NullPointerException if {@code topic} is null
   */
  public static Admission accept(String topic) {
    return accept(topic, SseListener.NONE);
  }

  /**
   * Admits the client to {@code topic}, with {@code listener} told when its stream opens and
   * closes.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Admission accept(String topic, SseListener listener) {
    return new Admission(
        Objects.requireNonNull(topic, "topic"),
        Objects.requireNonNull(listener, "listener"),
        200,
        null);
  }

  /**
   * Refuses the client with {@code status} (for example 401, 403 or 404) and a short plain-text
   * reason.
   *
   * @throws IllegalArgumentException if {@code status} is not in 400-499
   * @throws NullPointerException if {@code reason} is null
   */
  public static Admission refuse(int status, String reason) {
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status must be 4xx: " + status);
    }
    return new Admission(null, null, status, Objects.requireNonNull(reason, "reason"));
  }

  /** Returns true if the client is admitted. */
  public boolean isAccepted() {
    return topic != null;
  }

  /** Returns the topic to join, or null if refused. */
  public String topic() {
    return topic;
  }

  /** Returns the listener of an admitted stream, or null if refused. */
  public SseListener listener() {
    return listener;
  }

  /** Returns 200 if admitted, otherwise the 4xx status to answer. */
  public int status() {
    return status;
  }

  /** Returns the reason of a refusal, or null if admitted. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return isAccepted() ? "Admission{accept " + topic + "}" : "Admission{refuse " + status + "}";
  }
}
