package org.ssekit;

import java.util.concurrent.CompletionStage;

/**
 * The identity side of an {@link SseHub}: ending every stream of a principal, on every node that
 * shares the hub's {@link EventLog}. A stream belongs to the principal it is {@linkplain
 * Subscription#attributeTo attributed} to (the adapters attribute it to the principal their {@link
 * Authorizer} decided on); an anonymous stream belongs to nobody.
 *
 * <p>Implemented only by ssekit, through {@link SseHub}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public interface HubIdentity {
  /**
   * Ends every stream {@linkplain Subscription#attributeTo attributed} to {@code principal} (a
   * logout, a ban) as {@link CloseReason#REVOKED}, with a jittered {@code retry:}, so each client
   * reconnects and is authorized again; streams being authorized meanwhile end once attributed.
   * Ends this hub's streams at once, and every node's that shares the log ({@link
   * EventLog#announceRevocation}; a failed announcement is logged, {@link #closeStreamsEverywhere}
   * reports it).
   *
   * @return the number of streams ended on this hub
   * @throws NullPointerException if {@code principal} is null
   */
  int closeStreamsOf(String principal);

  /**
   * As {@link #closeStreamsOf}; the stage completes with the number of streams ended on this hub
   * once the log recorded the revocation for the other nodes, or fails with the log's exception
   * (such as sse-redis' {@code RedisUnavailableException}); this hub's streams end in either case.
   *
   * @throws NullPointerException if {@code principal} is null
   * @throws IllegalStateException if the hub is closed
   */
  CompletionStage<Integer> closeStreamsEverywhere(String principal);
}
