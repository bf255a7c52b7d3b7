package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.ssekit.Selection;
import org.ssekit.SseListener;

/**
 * An {@link SseServlet}'s decision about one request: join a topic or a {@link Selection} of topics
 * and selectors, or refuse with a 4xx status.
 *
 * <p>A selection is the application's: build it with {@link Selection#of} (which throws {@link
 * IllegalArgumentException} for a bad entry) from values you checked, and refuse with 400 what you
 * could not build. A selection the hub cannot serve (more entries than {@link
 * org.ssekit.SseHub.Builder#maxSelectionSize}) is answered {@code 400} by the stream.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class Admission {
  /** The topic of {@link #accept(String)}, validated when the stream opens; else null. */
  private final String topic;

  /** The selection of {@link #accept(Selection)}, or null. */
  private final Selection selection;

  private final SseListener listener;
  private final int status;
  private final String reason;

  private Admission(
      String topic, Selection selection, SseListener listener, int status, String reason) {
    this.topic = topic;
    this.selection = selection;
    this.listener = listener;
    this.status = status;
    this.reason = reason;
  }

  /**
   * Admits the client to {@code topic}; a stream of a topic name that is not valid answers {@code
   * 400}.
   *
   * @throws NullPointerException if {@code topic} is null
   */
  public static Admission accept(String topic) {
    return accept(topic, SseListener.NONE);
  }

  /**
   * Admits the client to {@code topic}, with {@code listener} told when its stream opens and
   * closes; a stream of a topic name that is not valid answers {@code 400}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Admission accept(String topic, SseListener listener) {
    return new Admission(
        Objects.requireNonNull(topic, "topic"),
        null,
        Objects.requireNonNull(listener, "listener"),
        200,
        null);
  }

  /**
   * Admits the client to {@code selection}: one stream with the events of every topic it matches. A
   * selection of one topic is the same stream as {@link #accept(String)} of that topic.
   *
   * @throws NullPointerException if {@code selection} is null
   */
  public static Admission accept(Selection selection) {
    return accept(selection, SseListener.NONE);
  }

  /**
   * Admits the client to {@code selection}, with {@code listener} told when its stream opens and
   * closes; see {@link #accept(Selection)}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Admission accept(Selection selection, SseListener listener) {
    return new Admission(
        null,
        Objects.requireNonNull(selection, "selection"),
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
    return new Admission(null, null, null, status, Objects.requireNonNull(reason, "reason"));
  }

  /** Returns true if the client is admitted. */
  public boolean isAccepted() {
    return listener != null;
  }

  /**
   * Returns the one topic to join: that of {@link #accept(String)}, or of a selection that is
   * {@linkplain Selection#isSingleTopic() exactly one topic}; null if refused, or if the selection
   * has several entries or a selector (read {@link #selection()} then).
   */
  public String topic() {
    if (topic != null) {
      return topic;
    }
    return selection != null && selection.isSingleTopic()
        ? selection.topics().iterator().next()
        : null;
  }

  /**
   * Returns what to join as a selection, or null if refused: the selection of {@link
   * #accept(Selection)}, or the one-topic {@link Selection#topic selection} of {@link
   * #accept(String)}.
   *
   * @throws IllegalArgumentException if admitted by {@link #accept(String)} to a name that is not a
   *     valid topic name (its stream answers 400)
   */
  public Selection selection() {
    if (selection != null) {
      return selection;
    }
    return topic == null ? null : Selection.topic(topic);
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

  /**
   * Opens the stream of an admitted client: by topic name for {@link #accept(String)} (so that a
   * bad name is a 400, as it always was), else by selection.
   */
  void open(ServletStreams streams, HttpServletRequest request, HttpServletResponse response) {
    if (topic != null) {
      streams.open(request, response, topic, listener);
    } else {
      streams.open(request, response, selection, listener);
    }
  }

  @Override
  public String toString() {
    if (!isAccepted()) {
      return "Admission{refuse " + status + "}";
    }
    return "Admission{accept " + (topic != null ? topic : selection) + "}";
  }
}
