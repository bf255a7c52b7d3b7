package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.EventLog;

/**
 * Revocation on every node that shares a hub's {@link EventLog}: {@link #closeStreamsEverywhere}
 * ends this hub's streams of a principal at once ({@link PrincipalStreams}, which also remembers
 * the revocation for streams being authorized meanwhile), then {@linkplain
 * EventLog#announceRevocation announces} it through the log; each other node's hub applies the
 * announcement it reads ({@link #onRevoked}) the same way, locally. The log never reports a node's
 * own announcement back to it, so nothing is applied twice, and an announcement that fails leaves
 * this node's streams ended all the same.
 *
 * <p><b>Thread safety:</b> thread-safe; it holds no lock of its own.
 */
final class Revocations {
  private static final System.Logger LOG = System.getLogger(Revocations.class.getName());

  private final PrincipalStreams principals;
  private final EventLog log;
  private final String hubName;

  Revocations(PrincipalStreams principals, EventLog log, String hubName) {
    this.principals = principals;
    this.log = log;
    this.hubName = hubName;
  }

  /**
   * Ends this hub's streams of {@code principal} and announces the revocation to the other nodes.
   *
   * @return a stage completed with the number of streams ended here once the log recorded the
   *     announcement, or failed with the log's exception
   */
  CompletionStage<Integer> closeStreamsEverywhere(String principal) {
    int ended = principals.closeStreamsOf(principal);
    return announce(principal).thenApply(recorded -> ended);
  }

  /**
   * As {@link #closeStreamsEverywhere}, for a caller that does not wait: a failed announcement is
   * logged as a warning (the other nodes' streams of the principal stay open).
   *
   * @param hubClosed set once the hub is closed: it has no stream left, and its log is closed
   * @return the number of streams ended here
   */
  int closeStreamsOf(String principal, AtomicBoolean hubClosed) {
    int ended = principals.closeStreamsOf(principal);
    if (hubClosed.get()) {
      return ended;
    }
    announce(principal)
        .whenComplete(
            (recorded, failure) -> {
              if (failure != null) {
                LOG.log(
                    Level.WARNING,
                    () ->
                        "hub "
                            + hubName
                            + " ended its streams of a revoked principal but could not tell the"
                            + " other nodes (closeStreamsEverywhere reports this): "
                            + failure);
              }
            });
    return ended;
  }

  /** Another node revoked {@code principal}: ends this hub's streams of it. */
  void onRevoked(String principal) {
    int ended = principals.closeStreamsOf(principal);
    LOG.log(
        Level.DEBUG,
        () -> "hub " + hubName + " ended " + ended + " streams revoked on another node");
  }

  private CompletionStage<Void> announce(String principal) {
    try {
      return log.announceRevocation(principal);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // a log that throws rather than failing its stage
    }
  }
}
