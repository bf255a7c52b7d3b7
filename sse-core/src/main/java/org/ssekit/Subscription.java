package org.ssekit;

import java.time.Instant;

/**
 * One subscriber of a topic or of a {@link Selection} of topics: one client's event stream, created
 * by {@link SseHub#subscribe(String, String, SseTransport, SseListener)} or {@link
 * SseHub#subscribe(Selection, String, SseTransport, SseListener)}.
 *
 * <p><b>Lifecycle:</b> a subscription is {@linkplain State#CONNECTING connecting} while its topic's
 * log looks up the client's {@code Last-Event-ID}, {@linkplain State#OPEN open} while it receives
 * events, {@linkplain State#CLOSING closing} while it drains what is queued before ending, and then
 * {@linkplain State#CLOSED closed}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public interface Subscription {
  /** The states of a subscription, in the order it passes through them. */
  enum State {
    /**
     * Admitted; the log is looking up where the client's stream starts. Live events are held back.
     */
    CONNECTING,
    /** Receiving events. */
    OPEN,
    /** Ending: what is already queued is written, then the stream ends. */
    CLOSING,
    /** Ended; the listener's {@code onClose} has been called, is being called or is due. */
    CLOSED
  }

  /** Returns the identifier used in log lines, unique within the JVM, such as {@code sse-42}. */
  String id();

  /**
   * Returns the name of the subscribed topic; for a subscription to a {@link Selection} of several
   * entries, its entries separated by {@code ", "} (for log lines; see {@link #selection()}).
   */
  String topic();

  /**
   * Returns what the subscription receives: the {@link Selection} it was made with, or the
   * selection of its one topic.
   */
  Selection selection();

  /** Returns the current state. */
  State state();

  /** Returns the number of bytes queued for this subscriber and not yet handed to the transport. */
  long queuedBytes();

  /**
   * Queues {@code event} for this subscriber only, bypassing the topic's log (it is not replayed).
   * Applies the hub's overflow policy like any other event.
   *
   * @return false if the subscription is closing or closed, or if the event overflowed the queue
   * @throws NullPointerException if {@code event} is null
   */
  boolean offer(ServerSentEvent event);

  /**
   * Ends the subscription gracefully with {@link CloseReason#UNSUBSCRIBED}: what is queued is sent,
   * then the stream ends. Safe to call more than once and after the subscription ended.
   */
  void close();

  /**
   * Ends the subscription at once, dropping what is queued. Transports call this when the client
   * went away: pass a {@link ClientGoneException} (reason {@link CloseReason#CLIENT_GONE}); any
   * other cause ends it with {@link CloseReason#ERROR}. Safe to call more than once and after the
   * subscription ended.
   *
   * @throws NullPointerException if {@code cause} is null
   */
  void abort(Throwable cause);

  /**
   * Ends the subscription gracefully at {@code instant} with {@link CloseReason#EXPIRED}: what is
   * queued is sent, then a {@code retry:} jittered over the hub's {@linkplain
   * SseHub.Builder#shutdownRetry shutdown retry} window, then the stream ends, so that the client
   * reconnects and is authorized again. The adapters call it for an {@linkplain
   * Authorization#allowUntil authorization that expires}. Precision: the hub's scheduler thread
   * runs the ending within a few milliseconds of {@code instant} (later if a sweep of many streams
   * is running then); no thread or timer exists per subscription, only one scheduled task. An
   * instant that has passed ends the subscription now. Called again, the earliest instant wins.
   * Safe to call after the subscription ended (no effect).
   *
   * @throws NullPointerException if {@code instant} is null
   */
  void expireAt(Instant instant);

  /**
   * Attributes the subscription to {@code principal}, so that {@link SseHub#closeStreamsOf} with
   * that name ends it. The adapters call it with the principal their {@link Authorizer} decided on
   * ({@link Authorization#principal()}, else the request's); they also end a stream whose principal
   * was revoked while it was being authorized. Called directly, a revocation before the call does
   * not end the stream. Calling it again with the same name has no effect; it has none after the
   * subscription ended.
   *
   * @throws NullPointerException if {@code principal} is null
   * @throws IllegalArgumentException if {@code principal} is empty
   * @throws IllegalStateException if the subscription is attributed to another principal
   */
  void attributeTo(String principal);

  /**
   * Asks for the {@link HubIdentity#PRESENCE_EVENT_TYPE presence} events of the stream's presence
   * topics (those of its selection's exact topics that the hub's {@linkplain
   * SseHub.Builder#presenceTopics presence topics} match): first a join for every current member,
   * then a join when a principal becomes a member and a leave when it stops being one, each offered
   * to this stream only, without id (they are not in the log). A stream of several presence topics
   * gets the topic in the data too: {@code {"join":"alice","topic":"rooms/a"}}. Calling it again
   * has no effect; it has none after the subscription ended.
   */
  void receivePresence();
}
