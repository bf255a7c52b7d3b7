package org.ssekit;

/**
 * Decides whether the client of one stream request may read the whole {@link Selection} it asks
 * for. The servlet and JAX-RS adapters call it on every connect and every reconnect, before any
 * byte of the stream, with a {@link StreamRequest} filled from their request; they answer {@code
 * 401} (with {@code WWW-Authenticate}) or {@code 403} with the decision's plain-text reason, or
 * open the stream, ending it when an {@linkplain Authorization#allowUntil allowance expires}.
 *
 * <p>The decision is for the whole selection: there is no partial answer, so that a client never
 * silently receives less than it asked for. {@link PrincipalAuthorizer} decides on the container's
 * identity with topic templates such as {@code users/{principal}/**}.
 *
 * <p><b>Thread safety:</b> implementations must be thread-safe: they are called concurrently, on
 * container request threads, and may block briefly (for example to look up a session). An
 * authorizer that throws, or returns null, refuses the request with {@code 403} (and a warning in
 * the log); it never answers {@code 500}.
 */
@FunctionalInterface
public interface Authorizer {
  /** Allows every request: the adapters' default, which does no authorization at all. */
  Authorizer ALLOW_ALL = request -> Authorization.allow();

  /**
   * Decides on {@code request}.
   *
   * @param request the request's identity, headers, cookies and selection; valid during this call
   *     only (its lookups read the container's request)
   * @return the decision, never null
   */
  Authorization authorize(StreamRequest request);
}
