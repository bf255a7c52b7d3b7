package org.ssekit.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.ssekit.client.internal.BlockingEventIterator;
import org.ssekit.client.internal.EventPublisher;
import org.ssekit.client.internal.RealEventSource;
import org.ssekit.client.internal.Settings;

/**
 * A connection to a {@code text/event-stream} that reconnects as the WHATWG standard tells a
 * browser to, over {@link HttpClient} (HTTP/1.1 and HTTP/2).
 *
 * <p>Each request carries {@code Accept: text/event-stream}, {@code Cache-Control: no-cache} and,
 * once the stream set an id, {@code Last-Event-ID}. A response 200 with the content type {@code
 * text/event-stream} opens the stream. A {@code 204} closes the source for good, without error. Any
 * other status, or another content type, fails it, except a {@code 503} or {@code 429} with a valid
 * {@code Retry-After}, which is waited for and then retried. Network errors, a stream that ends and
 * a read timeout reconnect after the {@link ReconnectPolicy}'s delay; a line or event longer than
 * the limit fails the source.
 *
 * <p><b>Lifecycle:</b> {@link ReadyState#CONNECTING} while a connection is being made or waited
 * for, {@link ReadyState#OPEN} while a stream is read, {@link ReadyState#CLOSED} for good after
 * {@link #close()}, a {@code 204} or a failure. Obtain one with {@link #builder(URI)}: {@link
 * Builder#connect(EventSourceListener)} for callbacks, {@link Builder#publisher()} for a {@link
 * Flow.Publisher}, {@link Builder#iterator()} for a blocking iterator.
 *
 * <p><b>Thread safety:</b> thread-safe; every method may be called from any thread, including from
 * a listener.
 */
public interface EventSource extends AutoCloseable {
  /** The state of a source, as a browser's {@code EventSource.readyState}. */
  enum ReadyState {
    /** A connection is being made, or the source waits to reconnect. */
    CONNECTING,
    /** A stream is being read. */
    OPEN,
    /** Closed for good; no further connection is made. */
    CLOSED
  }

  /**
   * Returns a builder for a source that reads {@code uri}.
   *
   * @param uri an {@code http} or {@code https} URI
   * @return a new builder with the defaults
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if the scheme is not http or https
   */
  static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * Returns the URI this source reads.
   *
   * @return the URI
   */
  URI uri();

  /**
   * Returns the state now.
   *
   * @return the ready state
   */
  ReadyState readyState();

  /**
   * Returns the last event id the stream set, which the next reconnection sends as {@code
   * Last-Event-ID}, or {@code ""} if none.
   *
   * @return the last event id, never null
   */
  String lastEventId();

  /**
   * Closes the source for good: ends the connection at once (or cancels the wait to reconnect),
   * discards the events not delivered yet, and then calls {@link EventSourceListener#onClosed}. May
   * be called from any thread, including a listener; closing again does nothing.
   */
  @Override
  void close();

  /**
   * Configures and starts event sources. Each setter checks its argument at once and never echoes
   * header values (they may be secret).
   *
   * <p><b>Thread safety:</b> not thread-safe; confine a builder to one thread. The sources it
   * starts take a snapshot of its settings and are independent of it.
   */
  final class Builder {
    private static final List<String> OWN_HEADERS =
        List.of("accept", "cache-control", "last-event-id");

    private final URI uri;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private HttpClient httpClient;
    private Executor callbackExecutor;
    private Duration responseTimeout = Duration.ofSeconds(30);
    private Duration readTimeout;
    private Duration initialReadTimeout = Duration.ofMinutes(5);
    private ReconnectPolicy reconnectPolicy = ReconnectPolicy.defaults();
    private int maxLineChars = 4 * 1024 * 1024;
    private String lastEventId = "";

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("uri scheme not http or https: " + uri.getScheme());
      }
      this.uri = uri;
    }

    /**
     * Adds a request header sent with every connection, such as {@code Authorization}.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is one the source sets itself ({@code Accept},
     *     {@code Cache-Control}, {@code Last-Event-ID}: use {@link #lastEventId(String)}), or the
     *     HTTP client refuses the header
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("header set by the event source: " + name);
      }
      try {
        HttpRequest.newBuilder().header(name, value);
      } catch (IllegalArgumentException e) {
        // The client's message may quote the value; never echo it.
        throw new IllegalArgumentException("header refused by the HTTP client: " + name);
      }
      headers.add(Map.entry(name, value));
      return this;
    }

    /**
     * Sets the HTTP client. By default a shared client that follows redirects as a browser does.
     *
     * @param httpClient the client
     * @return this builder
     * @throws NullPointerException if the argument is null
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Sets the executor that runs listener calls (and publisher signals), one at a time. By default
     * none: calls run on the thread that caused them (the HTTP client's thread that read the bytes,
     * the thread that called {@link EventSource#close()}, or the client's timer thread), so they
     * must be quick.
     *
     * @param callbackExecutor the executor
     * @return this builder
     * @throws NullPointerException if the argument is null
     */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
      return this;
    }

    /**
     * Sets how long a connection may take until the response headers arrive (30 s by default).
     *
     * @param responseTimeout positive
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder responseTimeout(Duration responseTimeout) {
      this.responseTimeout = positive(responseTimeout, "responseTimeout");
      return this;
    }

    /**
     * Sets a fixed read timeout: a stream that sends nothing for this long is taken as dead and
     * reconnected. By default the timeout adapts (see {@link #initialReadTimeout(Duration)}).
     *
     * @param readTimeout positive
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /**
     * Selects the adaptive read timeout (the default) and its starting value, 5 minutes by default.
     * Once the source has seen two intervals between keep-alive comments, the timeout becomes twice
     * the longest interval seen, so it is never shorter than the server's keep-alive interval.
     *
     * @param initialReadTimeout the timeout before the rhythm is known; positive
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder initialReadTimeout(Duration initialReadTimeout) {
      this.initialReadTimeout = positive(initialReadTimeout, "initialReadTimeout");
      this.readTimeout = null;
      return this;
    }

    /**
     * Sets how the source waits before reconnecting.
     *
     * @param reconnectPolicy the policy
     * @return this builder
     * @throws NullPointerException if the argument is null
     */
    public Builder reconnectPolicy(ReconnectPolicy reconnectPolicy) {
      this.reconnectPolicy = Objects.requireNonNull(reconnectPolicy, "reconnectPolicy");
      return this;
    }

    /**
     * Sets the most chars a line, and the data of one event, may have (4 Mi by default). A longer
     * one fails the source with an {@link EventSourceException} instead of filling the heap.
     *
     * @param maxLineChars positive
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder maxLineChars(int maxLineChars) {
      if (maxLineChars <= 0) {
        throw new IllegalArgumentException("maxLineChars <= 0: " + maxLineChars);
      }
      this.maxLineChars = maxLineChars;
      return this;
    }

    /**
     * Sets the {@code Last-Event-ID} to send on the first connection, to resume a stream read
     * before. Empty (the default) sends none.
     *
     * @param lastEventId the id
     * @return this builder
     * @throws NullPointerException if the argument is null
     * @throws IllegalArgumentException if it contains CR, LF or NUL
     */
    public Builder lastEventId(String lastEventId) {
      this.lastEventId = EventAssembler.requireLastEventId(lastEventId);
      return this;
    }

    /**
     * Starts a source that reports to {@code listener}.
     *
     * @param listener receives the events and state changes
     * @return the source, {@link ReadyState#CONNECTING}
     * @throws NullPointerException if the argument is null
     */
    public EventSource connect(EventSourceListener listener) {
      Objects.requireNonNull(listener, "listener");
      return RealEventSource.start(settings(), listener);
    }

    /**
     * Returns a cold publisher of the events: each subscriber gets a source of its own, started on
     * subscription and closed on cancel. Demand drives reading: without demand the source stops
     * reading. The publisher completes after a {@code 204} and signals {@code onError} when the
     * source fails; reconnections are invisible to it, and comments are not published.
     *
     * @return the publisher
     */
    public Flow.Publisher<ReceivedEvent> publisher() {
      return new EventPublisher(settings());
    }

    /**
     * Starts a source read through a blocking iterator.
     *
     * @return the iterator; close it when done
     */
    public EventIterator iterator() {
      return BlockingEventIterator.start(settings());
    }

    private Settings settings() {
      return new Settings(
          uri,
          List.copyOf(headers),
          httpClient,
          callbackExecutor,
          responseTimeout,
          readTimeout,
          initialReadTimeout,
          reconnectPolicy,
          maxLineChars,
          lastEventId);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " <= 0: " + value);
      }
      return value;
    }
  }
}
