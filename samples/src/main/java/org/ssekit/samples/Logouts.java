package org.ssekit.samples;

/**
 * Remembers, per user name, the instant of its last logout, which revokes every session cookie of
 * the name issued at or before it ({@link ChatSessions}), for one session lifetime (after that,
 * those cookies have expired anyway). A login is issued after the name's last logout, even within
 * its millisecond, so that a logout never revokes the login that follows it.
 *
 * <p>One process keeps them in memory ({@link LocalLogouts}); demo nodes that share a Redis keep
 * them there ({@link RedisLogouts}), so that a logout on one node revokes the cookies on all.
 *
 * <p><b>Thread safety:</b> implementations are thread-safe.
 */
interface Logouts extends AutoCloseable {
  /**
   * Returns the instant, in epoch ms, to issue a login of {@code name} at: now, and after the
   * name's last logout.
   *
   * @throws ChatRequestException with 503 if the logouts cannot be read now
   */
  long issueMillis(String name);

  /**
   * Records a logout of {@code name} now: every cookie of the name issued until now is revoked.
   *
   * @return the logout's instant in epoch ms, after the name's previous logout and every login
   *     issued before
   * @throws ChatRequestException with 503 if the logout could not be recorded (then nothing is)
   */
  long logOut(String name);

  /**
   * Returns the instant, in epoch ms, of {@code name}'s last remembered logout; -1 if none.
   *
   * @throws ChatRequestException with 503 if the logouts cannot be read now
   */
  long lastLogoutMillis(String name);

  /** Releases what the logouts hold. Closing twice is safe. */
  @Override
  void close();
}
