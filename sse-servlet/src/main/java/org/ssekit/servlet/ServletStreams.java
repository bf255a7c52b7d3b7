package org.ssekit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import java.util.Optional;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.RefusalAnswer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.servlet.internal.ServletRequests;
import org.ssekit.servlet.internal.ServletStreamOpener;
import org.ssekit.servlet.internal.StreamSettings;

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
 * <p><b>Authorization and CORS.</b> An {@linkplain Builder#authorizer authorizer} decides on every
 * stream request before any byte of the stream: {@code 401} with {@code WWW-Authenticate}, {@code
 * 403}, or the stream, ended with a jittered {@code retry:} when an allowance expires. {@linkplain
 * Builder#cors Allowed origins} get the CORS headers; others get none.
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
  private final StreamSettings settings;

  private ServletStreams(Builder builder) {
    this.hub = builder.hub;
    this.settings =
        new StreamSettings(
            builder.bufferSize,
            builder.refusalAnswer,
            hub.config().retryAfter(),
            builder.authorizer,
            builder.cors);
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
    return ServletStreamOpener.open(hub, request, response, selection, listener, settings);
  }

  /**
   * Answers a CORS preflight ({@code OPTIONS} with {@code Origin} and {@code
   * Access-Control-Request-Method}) from an {@linkplain Builder#cors allowed origin}: {@code 204}
   * with the headers of {@link Cors}. Call it from {@code doOptions}; {@link SseServlet} does.
   *
   * @return true if answered; false, with the response untouched, for any other request (no CORS
   *     configured, another origin, not a preflight)
   * @throws NullPointerException if an argument is null
   */
  public boolean answerPreflight(HttpServletRequest request, HttpServletResponse response) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    return ServletRequests.answerPreflight(settings.cors(), request, response);
  }

  /** Returns how passing refusals are answered. */
  public RefusalAnswer refusalAnswer() {
    return settings.refusalAnswer();
  }

  /** Returns the authorizer of every stream request; {@link Authorizer#ALLOW_ALL} if none. */
  public Authorizer authorizer() {
    return settings.authorizer();
  }

  /** Returns the allowed origins, or empty if the streams answer no CORS headers. */
  public Optional<Cors> cors() {
    return Optional.ofNullable(settings.cors());
  }

  /** Sets the CORS headers of {@code response} for {@code request}'s origin, if it is allowed. */
  void corsHeaders(HttpServletRequest request, HttpServletResponse response) {
    ServletRequests.corsHeaders(settings.cors(), request, response);
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
    private Authorizer authorizer = Authorizer.ALLOW_ALL;
    private Cors cors;

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

    /**
     * Sets the authorizer that decides on every stream request, connect and reconnect alike, before
     * any byte of the stream (see {@link Authorizer}): a refusal answers {@code 401} with {@code
     * WWW-Authenticate}, or {@code 403}, with its plain-text reason; an allowance with an expiry
     * ends the stream then with a jittered {@code retry:} ({@link Subscription#expireAt}). By
     * default {@link Authorizer#ALLOW_ALL}.
     *
     * @throws NullPointerException if {@code authorizer} is null
     */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /**
     * Sets the origins whose pages may read the streams (see {@link Cors}): their requests get the
     * CORS headers, on streams and refusals alike, and their preflights are answered by {@link
     * #answerPreflight}. By default none: no CORS header.
     *
     * @throws NullPointerException if {@code cors} is null
     */
    public Builder cors(Cors cors) {
      this.cors = Objects.requireNonNull(cors, "cors");
      return this;
    }

    /** Returns the configured streams. */
    public ServletStreams build() {
      return new ServletStreams(this);
    }
  }
}
