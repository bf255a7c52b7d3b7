package org.ssekit;

/**
 * A snapshot of a hub's counters, from {@link SseHub#stats()}. Counters count since the hub was
 * built.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param subscribers subscriptions registered on this hub that have not ended yet: connecting, open
 *     or closing (a subscription leaves the count as it closes)
 * @param topics topics that currently have subscribers on this hub (a topic whose last subscriber
 *     left counts until its log has been told to stop following it)
 * @param eventsPublished events appended through this hub's {@link SseHub#publish}
 * @param eventsDelivered events queued to subscribers (one per subscriber per event)
 * @param bytesQueued bytes currently queued for all subscribers and not yet handed to a transport
 * @param overflowDisconnects subscriptions ended by {@link CloseReason#OVERFLOW}
 * @param overflowDrops events dropped under {@link OverflowPolicy#DROP_OLDEST}
 * @param stallDisconnects subscriptions ended by {@link CloseReason#STALLED}
 * @param keepAlivesSent keep-alive comments queued to idle subscribers
 */
public record HubStats(
    int subscribers,
    int topics,
    long eventsPublished,
    long eventsDelivered,
    long bytesQueued,
    long overflowDisconnects,
    long overflowDrops,
    long stallDisconnects,
    long keepAlivesSent) {}
