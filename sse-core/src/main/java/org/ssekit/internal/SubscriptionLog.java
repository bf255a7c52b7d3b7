package org.ssekit.internal;

import java.lang.System.Logger.Level;
import org.ssekit.CloseReason;

/**
 * The operator-facing log lines of a subscription's endings, each prefixed with its id: a stall or
 * an overflow at WARNING, a client gone at DEBUG, another failure at WARNING with its stack trace.
 * Logged under the logger of {@link RealSubscription}, where operators look for them.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class SubscriptionLog {
  private static final System.Logger LOG = System.getLogger(RealSubscription.class.getName());

  private SubscriptionLog() {}

  static void stalled(String id, long stallNanos, long stalledBytes) {
    String message = id + " stalled: nothing written for " + stallNanos / 1_000_000;
    LOG.log(
        Level.WARNING, message + " ms with " + stalledBytes + " bytes unwritten; disconnecting");
  }

  static void overflowed(String id, long maxBytes) {
    LOG.log(
        Level.WARNING, () -> id + " queue over " + maxBytes + " bytes; disconnecting (overflow)");
  }

  static void aborted(String id, CloseReason reason, Throwable cause) {
    if (reason == CloseReason.CLIENT_GONE) {
      LOG.log(Level.DEBUG, () -> id + " client gone: " + cause);
    } else {
      LOG.log(Level.WARNING, id + " failed; closing this stream", cause);
    }
  }

  static void lookUpFailed(String id, Throwable failure) {
    if (failure == null) {
      return; // the lookup succeeded
    }
    // One line per refused stream: during an outage every reconnect lands here, so the stack
    // trace goes to DEBUG only.
    LOG.log(
        Level.WARNING,
        () -> id + " could not look up its replay in the log (" + failure + "); closing");
    LOG.log(Level.DEBUG, () -> id + " replay lookup failure", failure);
  }
}
