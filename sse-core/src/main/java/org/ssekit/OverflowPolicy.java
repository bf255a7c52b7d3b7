package org.ssekit;

/**
 * What a subscription does when an event would take its outbound queue over the byte bound ({@link
 * SseHub.Builder#maxQueuedBytes(long)}). A single event larger than the bound is still sent when
 * the queue is otherwise empty.
 */
public enum OverflowPolicy {
  /**
   * End the stream with {@link CloseReason#OVERFLOW}. The client reconnects with {@code
   * Last-Event-ID} and catches up from the topic's log, so nothing is lost while the log retains
   * the events. The default.
   */
  DISCONNECT,
  /**
   * Drop the oldest queued events until the new one fits, and send a gap event (type {@link
   * SseHub#GAP_EVENT_TYPE}, data {@code overflow}) in their place so the client knows it missed
   * events. The stream stays open.
   */
  DROP_OLDEST
}
