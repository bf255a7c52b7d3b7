package org.ssekit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.ssekit.internal.FieldChecks;
import org.ssekit.internal.HubConfig;
import org.ssekit.internal.RealSseHub;

/**
 * A set of named topics with their subscribers: the engine behind every ssekit transport.
 *
 * <p>Publish to a topic from any thread; every subscriber of the topic (or of a {@link Selection}
 * that matches it) receives the event, encoded once, in the order the {@link EventLog} assigned
 * ids. Each subscriber has its own bounded queue, so a slow client never delays publishing or any
 * other client. Topics are created on demand and forgotten when they have no subscriber.
 *
 * <pre>{@code
 * SseHub hub = SseHub.builder().keepAlive(Duration.ofSeconds(15)).build();
 * hub.publish("news", ServerSentEvent.builder().event("headline").data("Hello").build());
 * hub.close();
 * }</pre>
 *
 * <p><b>Lifecycle:</b> a hub runs once built: it owns two kinds of threads (a small delivery pool
 * and one scheduler for keep-alives, stall checks and expiries, named {@code ssekit-<name>-...})
 * and its {@link EventLog}. {@link #close()} ends every stream (each after a jittered {@code
 * retry:}, so that clients do not all reconnect at once), closes the log and stops every thread.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public interface SseHub extends AutoCloseable {
  /** The event type of the notice sent when a client missed events ({@link UnknownIdPolicy}). */
  String GAP_EVENT_TYPE = "ssekit-gap";

  /** Returns a builder with the documented defaults. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Appends {@code event} to {@code topic}'s log, which assigns its id, and delivers it to every
   * subscriber of the topic (on every node sharing the log).
   *
   * @return a stage completed with the assigned id once the event is in the log and queued to local
   *     subscribers; failed with {@link IllegalStateException} if the topic is closed, or with the
   *     log's exception
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name, or {@code event}
   *     has an id (the log assigns ids)
   * @throws IllegalStateException if the hub is closed
   */
  CompletionStage<String> publish(String topic, ServerSentEvent event);

  /**
   * Subscribes a client to {@code topic}. The subscription starts {@linkplain
   * Subscription.State#CONNECTING connecting}; once the log has looked up {@code lastEventId} it
   * queues the replayed events, calls {@link SseListener#onOpen} and receives live events. If the
   * topic is closed the subscription ends without opening, with {@link CloseReason#TOPIC_CLOSED},
   * and the transport's {@code close} comes before any write.
   *
   * @param topic the topic name
   * @param lastEventId the client's {@code Last-Event-ID}, or null if it sent none; an id the log
   *     does not know (malformed, too long, too old) is handled by the {@link UnknownIdPolicy}
   * @param transport writes the stream's bytes
   * @param listener the application's callbacks
   * @return the subscription
   * @throws NullPointerException if {@code topic}, {@code transport} or {@code listener} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name
   * @throws SubscriptionRefusedException if an admission limit is reached or the hub is closed
   */
  Subscription subscribe(
      String topic, String lastEventId, SseTransport transport, SseListener listener);

  /**
   * Subscribes a client to {@code selection}, as the one-topic method does (which a selection of
   * one topic is): one stream with every event of every matching topic, later ones included, each
   * once, each topic's in its log's order. One {@code Last-Event-ID} resumes them all exactly, or
   * follows the {@link UnknownIdPolicy} if a matching topic lost events after it. Closed topics are
   * left out; a selection without selectors ends, as {@link CloseReason#TOPIC_CLOSED}, once all its
   * topics are closed.
   *
   * @throws NullPointerException if an argument but {@code lastEventId} is null
   * @throws IllegalArgumentException if the selection has more entries than {@link
   *     Config#maxSelectionSize()}
   * @throws UnsupportedOperationException if the selection has several entries and the log does not
   *     {@linkplain EventLog#supportsSelections() support selections}
   * @throws SubscriptionRefusedException if an admission limit is reached or the hub is closed
   */
  Subscription subscribe(
      Selection selection, String lastEventId, SseTransport transport, SseListener listener);

  /**
   * Closes {@code topic}: its streams end after what is queued is sent, and later subscribers are
   * refused (transports answer {@code 204 No Content}, which makes browsers stop reconnecting).
   *
   * @return a stage completed when the log recorded the closing
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name
   * @throws IllegalStateException if the hub is closed
   */
  CompletionStage<Void> closeTopic(String topic);

  /**
   * Ends the current streams of {@code topic} after what is queued is sent, without closing the
   * topic: clients reconnect with {@code Last-Event-ID} and catch up from the log.
   *
   * @return the number of streams ended
   * @throws NullPointerException if {@code topic} is null
   */
  int disconnectAll(String topic);

  /**
   * Ends every stream {@linkplain Subscription#attributeTo attributed} to {@code principal} (a
   * logout, a ban) as {@link CloseReason#REVOKED}, with a jittered {@code retry:}, so each client
   * reconnects and is authorized again; streams being authorized meanwhile end once attributed.
   *
   * @return the number of streams ended
   * @throws NullPointerException if {@code principal} is null
   */
  int closeStreamsOf(String principal);

  /**
   * Returns the number of subscribers of {@code topic} on this hub (connecting, open or closing).
   *
   * @throws NullPointerException if {@code topic} is null
   */
  int subscriberCount(String topic);

  /** Returns a snapshot of the hub's gauges and counters. */
  HubStats stats();

  /**
   * Reports every {@code everyNthEvent}-th event's latencies to {@code sink} until detached.
   *
   * @throws NullPointerException if {@code sink} is null
   * @throws IllegalArgumentException if {@code everyNthEvent} is less than 1
   * @throws IllegalStateException if a sink is attached already (close its attachment first)
   */
  DeliveryLatencySink.Attachment sampleLatency(int everyNthEvent, DeliveryLatencySink sink);

  /**
   * Returns the hub's configuration: an immutable value. To build another hub like this one, start
   * from {@link Config#toBuilder()}.
   */
  Config config();

  /**
   * Ends every stream (each first receives a {@code retry:} with random jitter), waits up to the
   * shutdown timeout for queued bytes to be written, closes the log and stops the hub's threads.
   * Safe to call more than once.
   */
  @Override
  void close();

  /**
   * A hub's configuration, as its {@link Builder} set it; the defaults are documented there.
   * Implemented by ssekit: applications read it, and start a variant with {@link #toBuilder()}.
   *
   * <p><b>Thread safety:</b> immutable and thread-safe.
   */
  interface Config {
    /** Returns the hub's name, used in thread names and log lines. */
    String name();

    /** Returns how long a stream may be idle before a keep-alive comment is sent. */
    Duration keepAlive();

    /** Returns how long queued bytes may go unwritten before a stream ends as stalled. */
    Duration stallTimeout();

    /** Returns the bound on each subscriber's queued bytes. */
    long maxQueuedBytes();

    /** Returns what happens when a subscriber's queue would overflow. */
    OverflowPolicy overflowPolicy();

    /** Returns what happens to a {@code Last-Event-ID} that the log does not know. */
    UnknownIdPolicy unknownIdPolicy();

    /** Returns the maximum number of subscribers of the hub. */
    int maxSubscribers();

    /** Returns the maximum number of one-topic subscribers per topic. */
    int maxSubscribersPerTopic();

    /** Returns the maximum number of entries (topics plus selectors) of one stream's selection. */
    int maxSelectionSize();

    /** Returns the {@code retry:} sent first on every stream, or null if none. */
    Duration initialRetry();

    /** Returns the lower bound of the {@code retry:} sent to each stream when the hub closes. */
    Duration shutdownRetryMin();

    /** Returns the upper bound of the {@code retry:} sent to each stream when the hub closes. */
    Duration shutdownRetryMax();

    /** Returns how long closing the hub waits for streams to drain. */
    Duration shutdownTimeout();

    /** Returns how long transports ask a refused client to wait before retrying. */
    Duration retryAfter();

    /** Returns the number of delivery threads. */
    int deliveryThreads();

    /** Returns a builder with these settings and the same event log, if any (it serves one hub). */
    Builder toBuilder();
  }

  /**
   * Configures and builds an {@link SseHub}. Each setter checks its argument at once: {@link
   * IllegalArgumentException} names the setting and the rule, {@link NullPointerException} a null
   * argument (only {@link #initialRetry} takes null).
   *
   * <p>Defaults: keep-alive 15 s; stall timeout 30 s; 1 MiB queued per subscriber; {@link
   * OverflowPolicy#DISCONNECT}; {@link UnknownIdPolicy#NOTIFY_THEN_LIVE}; 64 entries per selection;
   * no admission limit ({@code Retry-After: 5} when one refuses); no initial {@code retry:}; on
   * shutdown a {@code retry:} of 1 s to 10 s and a 5 s drain timeout; an in-memory log with {@link
   * Retention#defaults()}; delivery threads = available processors.
   *
   * <p><b>Thread safety:</b> not thread-safe.
   */
  final class Builder {
    private final HubConfig.Draft draft = new HubConfig.Draft();

    private Builder() {}

    /**
     * Names the hub in thread names and log lines.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if empty, longer than 32 chars or not {@code [A-Za-z0-9_.-]}
     */
    public Builder name(String name) {
      draft.name = HubConfig.requireName(name);
      return this;
    }

    /** Sets the log; the hub starts it and closes it when the hub is closed. Default: in memory. */
    public Builder eventLog(EventLog eventLog) {
      draft.eventLog = Objects.requireNonNull(eventLog, "eventLog");
      return this;
    }

    /**
     * Sets how long a stream may be idle before a keep-alive comment is sent. Keep-alives also find
     * dead connections: the write fails.
     *
     * @throws NullPointerException if {@code keepAlive} is null
     * @throws IllegalArgumentException if not positive, or longer than 3650 days
     */
    public Builder keepAlive(Duration keepAlive) {
      draft.keepAlive = HubConfig.requirePositive("keepAlive", keepAlive);
      return this;
    }

    /**
     * Sets how long a subscriber's queued bytes may go unwritten before it is disconnected with
     * {@link CloseReason#STALLED}. Needed because the kernel buffers megabytes before a client that
     * stopped reading pushes back.
     *
     * @throws NullPointerException if {@code stallTimeout} is null
     * @throws IllegalArgumentException if not positive, or longer than 3650 days
     */
    public Builder stallTimeout(Duration stallTimeout) {
      draft.stallTimeout = HubConfig.requirePositive("stallTimeout", stallTimeout);
      return this;
    }

    /**
     * Sets the bound on each subscriber's queued bytes, beyond which the overflow policy applies.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxQueuedBytes(long maxQueuedBytes) {
      draft.maxQueuedBytes = HubConfig.requireAtLeastOne("maxQueuedBytes", maxQueuedBytes);
      return this;
    }

    /** Sets what happens when a subscriber's queue would overflow. */
    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      draft.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    /** Sets what happens when a client presents a {@code Last-Event-ID} the log does not know. */
    public Builder unknownIdPolicy(UnknownIdPolicy unknownIdPolicy) {
      draft.unknownIdPolicy = Objects.requireNonNull(unknownIdPolicy, "unknownIdPolicy");
      return this;
    }

    /**
     * Sets the maximum number of subscribers of the hub; more are refused with {@link
     * SubscriptionRefusedException.Reason#HUB_LIMIT}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxSubscribers(int maxSubscribers) {
      draft.maxSubscribers = HubConfig.requireAtLeastOne("maxSubscribers", maxSubscribers);
      return this;
    }

    /**
     * Sets the maximum number of subscribers per topic; more are refused with {@link
     * SubscriptionRefusedException.Reason#TOPIC_LIMIT}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxSubscribersPerTopic(int maxSubscribersPerTopic) {
      draft.maxSubscribersPerTopic =
          HubConfig.requireAtLeastOne("maxSubscribersPerTopic", maxSubscribersPerTopic);
      return this;
    }

    /**
     * Sets the maximum number of entries (topics plus selectors) of one stream's {@link Selection};
     * larger selections are refused with {@link IllegalArgumentException} (transports answer 400).
     *
     * @throws IllegalArgumentException if less than 1 or more than 1024
     */
    public Builder maxSelectionSize(int maxSelectionSize) {
      draft.maxSelectionSize = HubConfig.requireSelectionSize(maxSelectionSize);
      return this;
    }

    /**
     * Sets a {@code retry:} sent first on every stream, or none when null (the default).
     *
     * @throws IllegalArgumentException if negative or more than {@link Long#MAX_VALUE} milliseconds
     */
    public Builder initialRetry(Duration initialRetry) {
      draft.initialRetry =
          initialRetry == null ? null : FieldChecks.requireRetry("initialRetry", initialRetry);
      return this;
    }

    /**
     * Sets the range of the {@code retry:} sent to each stream when the hub closes; each stream
     * gets a uniformly random value in {@code [min, max]}, so clients spread their reconnects.
     *
     * @throws NullPointerException if {@code min} or {@code max} is null
     * @throws IllegalArgumentException if {@code min} is negative or greater than {@code max}, or
     *     {@code max} is more than {@link Long#MAX_VALUE} - 1 milliseconds
     */
    public Builder shutdownRetry(Duration min, Duration max) {
      draft.shutdownRetry(min, max);
      return this;
    }

    /**
     * Sets how long {@link SseHub#close()} waits for streams to drain before ending them at once.
     *
     * @throws NullPointerException if {@code shutdownTimeout} is null
     * @throws IllegalArgumentException if negative, or longer than 3650 days
     */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      draft.shutdownTimeout = HubConfig.requireNotNegative("shutdownTimeout", shutdownTimeout);
      return this;
    }

    /**
     * Sets how long transports ask a refused client to wait when an admission limit is reached, the
     * hub is closing or the log is unreachable: the centre of the jittered {@code retry:} of a
     * {@link RefusalAnswer#RETRY_STREAM}, or the {@code Retry-After} of a {@code 503}.
     *
     * @throws NullPointerException if {@code retryAfter} is null
     * @throws IllegalArgumentException if negative, or longer than 3650 days
     */
    public Builder retryAfter(Duration retryAfter) {
      draft.retryAfter = HubConfig.requireNotNegative("retryAfter", retryAfter);
      return this;
    }

    /**
     * Sets the number of delivery threads, which hand queued bytes to transports (never blocking).
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder deliveryThreads(int deliveryThreads) {
      draft.deliveryThreads = HubConfig.requireAtLeastOne("deliveryThreads", deliveryThreads);
      return this;
    }

    /**
     * Builds and starts the hub. The builder can be reused; the hub keeps its settings as an
     * immutable {@link Config}.
     *
     * @throws IllegalStateException if the configured log was already started by another hub
     */
    public SseHub build() {
      return new RealSseHub(draft.toConfig(), draft.eventLogOrInMemory());
    }

    /** Returns the settings made so far as an immutable {@link Config}, without building a hub. */
    public Config toConfig() {
      return draft.toConfig();
    }
  }
}
