package org.ssekit.spring;

import java.util.Objects;
import org.ssekit.Selection;
import org.ssekit.SseListener;

/**
 * What a Spring MVC handler method returns to turn its request into an event stream: the topic (or
 * {@link Selection}) to join and, optionally, a listener told when the stream opens and closes. The
 * starter's return value handler serves it with sse-servlet's {@link
 * org.ssekit.servlet.ServletStreams}: the response is async and non-blocking, and no thread waits
 * for the client.
 *
 * <pre>{@code
 * @GetMapping("/rooms/{room}/events")
 * SseStream room(@PathVariable String room) {
 *   return SseStream.of("rooms/" + room);
 * }
 * }</pre>
 *
 * <p>To refuse a client, throw as from any handler method (for example a {@code
 * ResponseStatusException} with 403) instead of returning a stream.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class SseStream {
  private final Selection selection;
  private final SseListener listener;

  private SseStream(Selection selection, SseListener listener) {
    this.selection = selection;
    this.listener = listener;
  }

  /**
   * Returns a stream of {@code topic}, taken literally (as {@link Selection#topic(String)}).
   *
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name
   */
  public static SseStream of(String topic) {
    return new SseStream(Selection.topic(topic), SseListener.NONE);
  }

  /**
   * Returns a stream of {@code selection}. Until sse-servlet serves selections, only a selection of
   * one exact topic can be served: the handler refuses a larger one with {@link
   * UnsupportedOperationException}.
   *
   * @throws NullPointerException if {@code selection} is null
   */
  public static SseStream of(Selection selection) {
    return new SseStream(Objects.requireNonNull(selection, "selection"), SseListener.NONE);
  }

  /**
   * Returns a copy of this stream whose {@code listener} is told when the stream opens and closes.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public SseStream withListener(SseListener listener) {
    return new SseStream(selection, Objects.requireNonNull(listener, "listener"));
  }

  /** Returns what the stream subscribes to. */
  public Selection selection() {
    return selection;
  }

  /** Returns the stream's listener ({@link SseListener#NONE} unless one was set). */
  public SseListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "SseStream{" + selection + "}";
  }
}
