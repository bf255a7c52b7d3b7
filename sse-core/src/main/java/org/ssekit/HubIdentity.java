package org.ssekit;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The identity side of an {@link SseHub}: ending every stream of a principal, on every node that
 * shares the hub's {@link EventLog}, and presence: who is on a topic now. A stream belongs to the
 * principal it is {@linkplain Subscription#attributeTo attributed} to (the adapters attribute it to
 * the principal their {@link Authorizer} decided on); an anonymous stream belongs to nobody.
 *
 * <p>Implemented only by ssekit, through {@link SseHub}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public interface HubIdentity {
  /**
   * The event type of presence events ({@link Subscription#receivePresence()}); their data is
   * {@code {"join":"alice"}} or {@code {"leave":"alice"}}.
   */
  String PRESENCE_EVENT_TYPE = "presence";

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

  /**
   * Returns who is on {@code topic} now: the principals with a stream attributed to them that names
   * the topic, on this hub or on another node sharing the log (as far as this node has learnt; with
   * sse-redis, a node that died leaves within its lease). Anonymous streams are not members.
   *
   * @return an immutable, sorted snapshot
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a {@linkplain
   *     SseHub.Builder#presenceTopics presence topic}
   */
  Set<String> members(String topic);
}
