package org.ssekit;

/**
 * Application callbacks for one subscription. Both methods do nothing by default.
 *
 * <p><b>Calls:</b> {@link #onOpen} is called at most once, when the subscription is admitted to its
 * topic: after any replayed events were queued and before live events are queued, so events sent
 * from {@code onOpen} with {@link Subscription#offer(ServerSentEvent)} (a snapshot, say) reach the
 * client before live ones. {@link #onClose} is called exactly once, last, also when the
 * subscription ended before it opened; no call follows it. Calls for one subscription never
 * overlap. They run on the hub's callback threads ({@code ssekit-<hub>-callback-<n>}, at most 64 at
 * once; past that, on the thread that opened or ended the subscription), never with one of the
 * hub's locks held: a callback may call the hub and its subscription (subscribe, publish, offer,
 * close). A callback that blocks holds up its own subscription (which goes live only once {@code
 * onOpen} returns) and one callback thread, not the hub's deliveries, its log or other streams;
 * still, callbacks should be fast: move slow work to your own executor. An exception thrown by a
 * callback is caught and logged at WARNING; from {@code onOpen} it also ends that subscription with
 * {@link CloseReason#ERROR}.
 */
public interface SseListener {
  /** A listener that does nothing. */
  SseListener NONE = new SseListener() {};

  /** The subscription is open and about to receive live events. */
  default void onOpen(Subscription subscription) {}

  /** The subscription ended for {@code reason}; it receives nothing more. */
  default void onClose(Subscription subscription, CloseReason reason) {}
}
