package org.ssekit;

/**
 * Completion of one {@link SseTransport#write} call. Exactly one of the two methods is called,
 * once, from any thread, possibly before {@code write} returns.
 *
 * <p><b>Thread safety:</b> thread-safe; implemented by the core.
 */
public interface WriteCallback {
  /**
   * Every byte was handed to the container and flushed; the transport can take the next write.
   *
   * @throws IllegalStateException if no write of this callback's stream is in flight (the write was
   *     completed already)
   */
  void succeeded();

  /**
   * The write failed; the stream is unusable. Pass a {@link ClientGoneException} when the client
   * went away (the ordinary case), any other throwable for a real failure.
   */
  void failed(Throwable cause);
}
