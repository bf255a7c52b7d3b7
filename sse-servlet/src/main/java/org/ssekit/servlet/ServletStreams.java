package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.ssekit.RefusalAnswer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.servlet.internal.ServletStreamOpener;

/**
 * Turns a servlet request and response into an event stream of a hub's topic, or of a {@link
 * Selection} of topics and selectors. Usable from any servlet, filter or framework controller that
 * has the request and response; {@link SseServlet} is built on it.
 *
 * <p>On {@link #open}, the exchange goes async with no container timeout (keep-alives and failed
 * writes find dead clients), answers {@code 200} with {@code Content-Type:
 * text/event-stream;charset=UTF-8}, {@code Cache-Control: no-cache} and {@code X-Accel-Buffering:
 * no}, and flushes the headers at once, before any event. The client's {@code Last-Event-ID} header
 * (or, for polyfills, the {@code lastEventId} query parameter) starts the stream after that event.
 * Writes are non-blocking ({@code WriteListener}): no thread waits on a slow client.
 *
 * <p><b>Refusals.</b> A closed topic (a selection whose topics are all closed) answers {@code 204
 * No Content} (gone for good); a selection the hub cannot serve answers {@code 400}. A passing
 * refusal (the hub's or a topic's admission limit, a hub that is starting or stopping, a log that
 * could not be reached before the stream's first byte) answers per the {@linkplain
 * Builder#refusalAnswer refusal answer}: by default {@code 200} with the stream's headers and a
 * body of one {@code retry:} field, jittered around the hub's {@link SseHub.Builder#retryAfter
 * retryAfter} (see {@link RefusalAnswer#RETRY_STREAM}), which every {@code EventSource} follows
 * back, keeping its {@code Last-Event-ID}; or {@code 503} with {@code Retry-After}.
 *
 * <pre>{@code
 * ServletStreams streams = ServletStreams.builder(hub).build();
 * streams.open(request, response, "news", SseListener.NONE);
 * }</pre>
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class ServletStreams {
  private final SseHub hub;
  private final int bufferSize;
  private final RefusalAnswer refusalAnswer;
  private final Duration retryAfter;

  private ServletStreams(Builder builder) {
    this.hub = builder.hub;
    this.bufferSize = builder.bufferSize;
    this.refusalAnswer = builder.refusalAnswer;
    this.retryAfter = hub.config().retryAfter();
  }

  /**
   * Returns a builder for streams of {@code hub}.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  public static Builder builder(SseHub hub) {
    return new Builder(Objects.requireNonNull(hub, "hub"));
  }

  /** Returns the hub whose topics the streams join. */
  public SseHub hub() {
    return hub;
  }

  /**
   * Turns the exchange into an event stream of {@code topic}: the stream of {@link
   * Selection#topic(String) Selection.topic(topic)}.
   *
   * @return the subscription, or empty if the hub refused the client (the response then is the
   *     {@linkplain Builder#refusalAnswer refusal answer}, completed once written)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name (the response is
   *     left untouched)
   * @throws IllegalStateException if the request does not support async (the message names the
   *     setting to change), the response is already committed, or its writer was already taken
   */
  public Optional<Subscription> open(
      HttpServletRequest request,
      HttpServletResponse response,
      String topic,
      SseListener listener) {
    Objects.requireNonNull(topic, "topic");
    return open(request, response, Selection.topic(topic), listener);
  }

  /**
   * Turns the exchange into one event stream of every topic {@code selection} matches (see {@link
   * SseHub#subscribe(Selection, String, org.ssekit.SseTransport, SseListener)}); one {@code
   * Last-Event-ID} resumes them all. A selection of one topic is exactly the stream of that topic.
   *
   * <p>A selection the hub cannot serve, because it has more entries than the hub's {@link
   * SseHub.Builder#maxSelectionSize maxSelectionSize} or its log serves one topic per stream, is
   * answered {@code 400} with a plain-text reason (empty is returned). A selection whose topics are
   * all closed answers {@code 204}, as a closed topic does; closed topics among open ones are left
   * out.
   *
   * @return the subscription, or empty if the hub refused the client or cannot serve the selection
   *     (the response then is the answer, completed once written)
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the request does not support async (the message names the
   *     setting to change), the response is already committed, or its writer was already taken
   */
  public Optional<Subscription> open(
      HttpServletRequest request,
      HttpServletResponse response,
      Selection selection,
      SseListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(listener, "listener");
    return ServletStreamOpener.open(
        hub, request, response, selection, listener, bufferSize, refusalAnswer, retryAfter);
  }

  /** Returns how passing refusals are answered. */
  public RefusalAnswer refusalAnswer() {
    return refusalAnswer;
  }

  /**
   * Configures {@link ServletStreams}.
   *
   * <p>Defaults: a 1,024-byte response buffer (the stream batches its own writes, and containers
   * hold the buffer for as long as the response is open); passing refusals answered with {@link
   * RefusalAnswer#RETRY_STREAM}. The {@code retry:} and the {@code Retry-After} of a refusal derive
   * from the hub's {@link SseHub.Builder#retryAfter retryAfter}.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final SseHub hub;
    private int bufferSize = 1024;
    private RefusalAnswer refusalAnswer = RefusalAnswer.RETRY_STREAM;

    private Builder(SseHub hub) {
      this.hub = hub;
    }

    /**
     * Sets the response buffer size in bytes.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder bufferSize(int bufferSize) {
      if (bufferSize < 1) {
        throw new IllegalArgumentException("bufferSize < 1: " + bufferSize);
      }
      this.bufferSize = bufferSize;
      return this;
    }

    /**
     * Sets how a stream request refused for a passing reason is answered; see {@link
     * RefusalAnswer}.
     *
     * @throws NullPointerException if {@code refusalAnswer} is null
     */
    public Builder refusalAnswer(RefusalAnswer refusalAnswer) {
      this.refusalAnswer = Objects.requireNonNull(refusalAnswer, "refusalAnswer");
      return this;
    }

    /** Returns the configured streams. */
    public ServletStreams build() {
      return new ServletStreams(this);
    }
  }
}
