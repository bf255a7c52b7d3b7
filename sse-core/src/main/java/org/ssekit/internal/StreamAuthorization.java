package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.ssekit.Authorization;
import org.ssekit.Authorizer;
import org.ssekit.StreamRequest;
import org.ssekit.Subscription;

/**
 * The authorization step of a stream request that both adapters share, in one place: runs the
 * {@link Authorizer} so that it never throws (a failing authorizer refuses with {@code 403}, never
 * a {@code 500}), turns an allowance that already expired into a {@code 401}, and gives the head
 * and body of a refusal.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class StreamAuthorization {
  private static final System.Logger LOG = System.getLogger(StreamAuthorization.class.getName());

  /** The response header of a {@code 401} that names how to authenticate. */
  public static final String WWW_AUTHENTICATE_HEADER = "WWW-Authenticate";

  /** The content type of a refusal's reason. */
  public static final String TEXT_PLAIN = "text/plain;charset=UTF-8";

  private StreamAuthorization() {}

  /**
   * Returns {@code authorizer}'s decision on {@code request}: a {@code 403} if it threw or returned
   * null (logged as a warning, without the request's values), a {@code 401} if it allowed until an
   * instant not after now.
   */
  public static Authorization decide(Authorizer authorizer, StreamRequest request) {
    Authorization decision;
    try {
      decision = authorizer.authorize(request);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> authorizer + " failed on " + request + "; answering 403", e);
      return Authorization.forbidden("authorization failed");
    }
    if (decision == null) {
      LOG.log(Level.WARNING, () -> authorizer + " returned null on " + request + "; answering 403");
      return Authorization.forbidden("authorization failed");
    }
    if (decision.expiry().isPresent() && !decision.expiry().get().isAfter(Instant.now())) {
      return Authorization.unauthenticated("authorization expired");
    }
    return decision;
  }

  /**
   * Hands {@code header} the headers of a refusal besides its content type: {@code
   * WWW-Authenticate} for a {@code 401}.
   */
  public static void forEachRefusalHeader(
      Authorization refusal, BiConsumer<String, String> header) {
    if (refusal.challenge() != null) {
      header.accept(WWW_AUTHENTICATE_HEADER, refusal.challenge());
    }
  }

  /**
   * Applies {@code allowance} to the subscription it opened: attributes it to the allowance's
   * principal, else to {@code requestPrincipal} (none if both are absent), ending it if that
   * principal was revoked since {@code authorizingSinceNanos}, the {@link System#nanoTime()} taken
   * before the authorizer ran; then ends it at the allowance's expiry, if any.
   *
   * @param requestPrincipal the name of the request's authenticated principal, or null
   */
  public static void bind(
      Subscription subscription,
      Authorization allowance,
      String requestPrincipal,
      long authorizingSinceNanos) {
    String principal = allowance.principal().orElse(requestPrincipal);
    if (principal != null && !principal.isEmpty()) {
      if (subscription instanceof RealSubscription) {
        RealSubscription real = (RealSubscription) subscription;
        real.hub.principals().attribute(real, principal, authorizingSinceNanos);
      } else {
        subscription.attributeTo(principal);
      }
    }
    allowance.expiry().ifPresent(subscription::expireAt);
  }

  /** Returns the body of a refusal: its reason and a line end, in UTF-8. */
  public static byte[] refusalBody(Authorization refusal) {
    return (refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
