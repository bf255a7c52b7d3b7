package org.ssekit.internal;

import org.ssekit.OverflowPolicy;
import org.ssekit.UnknownIdPolicy;

/**
 * What every subscription of one hub takes from the hub's configuration, resolved once when the hub
 * is built (durations as nanoseconds, the initial {@code retry:} encoded), so that no subscription
 * reads the hub's fields or converts a setting on its hot path.
 *
 * <p><b>Thread safety:</b> immutable; {@code firstWrite} is never modified.
 *
 * @param maxQueuedBytes the bound on one subscriber's queued bytes
 * @param overflowPolicy what happens when an event would take a queue over the bound
 * @param unknownIdPolicy what a subscriber whose {@code Last-Event-ID} the log does not know gets
 * @param firstWrite the bytes of every stream's first write: the encoded initial {@code retry:}, or
 *     none (a write that only commits the headers)
 * @param keepAliveNanos how long a stream may be idle before a keep-alive comment is queued
 * @param stallNanos how long queued bytes may go unwritten before the stream ends as stalled
 */
record SubscriptionSettings(
    long maxQueuedBytes,
    OverflowPolicy overflowPolicy,
    UnknownIdPolicy unknownIdPolicy,
    byte[] firstWrite,
    long keepAliveNanos,
    long stallNanos) {}
