package org.ssekit;

/**
 * Why a {@link Subscription} ended. Reported exactly once per subscription to {@link
 * SseListener#onClose(Subscription, CloseReason)} and to {@link SseTransport#close(CloseReason)}.
 */
public enum CloseReason {
  /** The client disconnected, or a write to it failed. An ordinary event, not an error. */
  CLIENT_GONE,
  /** The application ended the subscription with {@link Subscription#close()}. */
  UNSUBSCRIBED,
  /**
   * The application ended the topic's streams with {@link SseHub#disconnectAll(String)}; the topic
   * stays open, so clients reconnect with {@code Last-Event-ID} and catch up.
   */
  DISCONNECTED,
  /**
   * The topic was closed with {@link SseHub#closeTopic(String)}; reconnecting clients are refused.
   */
  TOPIC_CLOSED,
  /** The hub was closed (the server is shutting down). */
  HUB_CLOSED,
  /**
   * The subscriber's queue exceeded its byte bound under {@link OverflowPolicy#DISCONNECT}; the
   * client reconnects with {@code Last-Event-ID} and catches up from the log.
   */
  OVERFLOW,
  /** The subscriber's queue did not drain for the stall timeout: the client stopped reading. */
  STALLED,
  /** The transport or the application failed in an unexpected way. */
  ERROR,
  /**
   * The stream's authorization expired ({@link Subscription#expireAt}): it ended with a jittered
   * {@code retry:}, so the client reconnects and is authorized again (or refused).
   */
  EXPIRED,
  /**
   * The application ended the principal's streams with {@link SseHub#closeStreamsOf} (a logout, a
   * ban): each ended with a jittered {@code retry:}, so the client reconnects and is authorized
   * again (or refused).
   */
  REVOKED
}
