package org.ssekit.jaxrs;

import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Objects;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.internal.RealSseTopics;

/**
 * Connects a JAX-RS application to an {@link SseHub}: register it in the {@code Application} or
 * {@code ResourceConfig}, then use {@link SseTopic} methods and {@link
 * SseTopics#broadcaster(String)}.
 *
 * <pre>{@code
 * SseHub hub = SseHub.builder().build();
 * ResourceConfig application = new ResourceConfig(NewsResource.class).register(SseHubFeature.of(hub));
 * }</pre>
 *
 * <p><b>Write paths.</b> When the application runs in a servlet container (Servlet 6.0+, with async
 * support enabled on the JAX-RS servlet, and sse-servlet on the class path: an optional dependency
 * of this module, which the application declares), every stream of a topic is written with Servlet
 * non-blocking I/O exactly as the servlet adapter writes it: Jersey routes the request and runs its
 * filters and interceptors, then the stream leaves Jersey's blocking output, and no thread ever
 * waits on a slow client. Without a servlet container (or without the Servlet API or sse-servlet on
 * the class path), events are written with {@code SseEventSink.send} on a bounded pool of
 * {@linkplain Builder#sendThreads(int) send threads}, at most one send in flight per sink; a client
 * that stops reading holds one of those threads until the hub's stall timeout ends its stream (the
 * thread is then interrupted). Either way a slow client never delays the others, and its queue is
 * bounded by the hub's {@code maxQueuedBytes}.
 *
 * <p><b>Refusals.</b> A closed topic answers {@code 204 No Content} (gone for good). A passing
 * refusal (the hub's or a topic's admission limit, a hub that is starting or stopping, a log that
 * could not be reached before the stream's first byte) answers per the {@linkplain
 * Builder#refusalAnswer refusal answer}, with the same bytes on both write paths: by default {@code
 * 200} with the stream's headers and one jittered {@code retry:} field ({@link
 * RefusalAnswer#RETRY_STREAM}), or {@code 503} with {@code Retry-After}. Without a servlet
 * container, a log failure that comes after Jersey started writing the stream's head ends the
 * stream with the {@code retry:} ({@code RETRY_STREAM}) or with nothing ({@code
 * SERVICE_UNAVAILABLE}, as the status is sent by then).
 *
 * <p><b>Identity.</b> An {@linkplain Builder#authorizer authorizer} decides on every stream request
 * that Jersey answers with a topic's sink, before any byte of the stream, with the {@code
 * SecurityContext}'s principal and roles: {@code 401} with {@code WWW-Authenticate} or {@code 403},
 * with a plain-text reason, the same bytes as sse-servlet's; an allowance that expires ends the
 * stream with a jittered {@code retry:}. Each stream is attributed to its principal, so that {@link
 * SseHub#closeStreamsOf} ends it. {@linkplain Builder#cors Allowed origins} get the CORS headers on
 * streams and refusals, and the feature answers their preflights ({@code OPTIONS}) for the whole
 * application.
 *
 * <p><b>Lifecycle:</b> the hub belongs to the caller, who closes it (which ends every stream). The
 * send pool, used only without a servlet container, starts its threads ({@code
 * ssekit-<hub>-jaxrs-send-N}) on demand, and they end after two idle seconds.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe; one instance may be registered in several
 * applications, which then share its topics.
 */
public final class SseHubFeature implements Feature {
  /** The configuration property under which the feature publishes its {@link SseTopics}. */
  public static final String TOPICS_PROPERTY = "org.ssekit.jaxrs.topics";

  private final RealSseTopics topics;

  private SseHubFeature(Builder builder) {
    this.topics =
        new RealSseTopics(
            builder.hub,
            builder.sendThreads,
            builder.bufferSize,
            builder.refusalAnswer,
            builder.authorizer,
            builder.cors);
  }

  /**
   * Returns a feature for {@code hub} with the default settings.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  public static SseHubFeature of(SseHub hub) {
    return builder(hub).build();
  }

  /**
   * Returns a builder for a feature of {@code hub}.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  public static Builder builder(SseHub hub) {
    return new Builder(Objects.requireNonNull(hub, "hub"));
  }

  /** Returns the topics of this feature's hub, for code that holds the feature. */
  public SseTopics topics() {
    return topics;
  }

  /** Registers the providers that serve {@link SseTopic} methods and topic broadcasters. */
  @Override
  public boolean configure(FeatureContext context) {
    return topics.configure(context);
  }

  @Override
  public String toString() {
    return "SseHubFeature{" + topics + "}";
  }

  /**
   * Configures an {@link SseHubFeature}.
   *
   * <p>Defaults: 4 send threads; a 1,024-byte servlet response buffer; passing refusals answered
   * with {@link RefusalAnswer#RETRY_STREAM}. The {@code retry:} and the {@code Retry-After} of a
   * refusal derive from the hub's {@link SseHub.Builder#retryAfter retryAfter}.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  public static final class Builder {
    private final SseHub hub;
    private int sendThreads = 4;
    private int bufferSize = 1024;
    private RefusalAnswer refusalAnswer = RefusalAnswer.RETRY_STREAM;
    private Authorizer authorizer = Authorizer.ALLOW_ALL;
    private Cors cors;

    private Builder(SseHub hub) {
      this.hub = hub;
    }

    /**
     * Sets the number of threads that write streams with {@code SseEventSink.send} when no servlet
     * container is underneath; each stalled client holds one until the hub's stall timeout.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder sendThreads(int sendThreads) {
      if (sendThreads < 1) {
        throw new IllegalArgumentException("sendThreads < 1: " + sendThreads);
      }
      this.sendThreads = sendThreads;
      return this;
    }

    /**
     * Sets the servlet response buffer size in bytes of each stream.
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
     * any byte of the stream (see {@link Authorizer}), with the {@code SecurityContext}'s principal
     * and roles: a refusal answers {@code 401} with {@code WWW-Authenticate}, or {@code 403}, with
     * its plain-text reason; an allowance with an expiry ends the stream then with a jittered
     * {@code retry:}. By default {@link Authorizer#ALLOW_ALL}.
     *
     * @throws NullPointerException if {@code authorizer} is null
     */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /**
     * Sets the origins whose pages may read the streams (see {@link Cors}): their stream requests
     * get the CORS headers, on streams and refusals alike, and their preflights are answered {@code
     * 204}. By default none: no CORS header.
     *
     * @throws NullPointerException if {@code cors} is null
     */
    public Builder cors(Cors cors) {
      this.cors = Objects.requireNonNull(cors, "cors");
      return this;
    }

    /** Returns the feature. */
    public SseHubFeature build() {
      return new SseHubFeature(this);
    }
  }
}
