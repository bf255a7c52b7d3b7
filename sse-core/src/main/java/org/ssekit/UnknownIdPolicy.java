package org.ssekit;

/**
 * What a subscription does when the client presents a {@code Last-Event-ID} that the topic's log
 * does not know: malformed, from another epoch (before a restart), or older than the retained
 * history.
 */
public enum UnknownIdPolicy {
  /**
   * Send a gap event (type {@link SseHub#GAP_EVENT_TYPE}, data {@code unknown-last-event-id}), then
   * live events. The default: the client learns it missed events and can reload its state.
   */
  NOTIFY_THEN_LIVE,
  /** Send a gap event, then every event the log still retains, then live events. */
  NOTIFY_THEN_RETAINED,
  /** Send live events only, as if no {@code Last-Event-ID} had been presented. */
  LIVE
}
