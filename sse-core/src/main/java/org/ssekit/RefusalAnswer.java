package org.ssekit;

/**
 * How a stream request is answered when it is refused for a passing reason: the hub refused it
 * ({@link SubscriptionRefusedException}: an admission limit, or a hub that is starting or
 * stopping), its subscription ended before its first byte (for example because the {@link EventLog}
 * could not be reached to look up the replay), or its {@link Authorizer} could not decide it now
 * ({@link Authorization#unavailable}). The adapters take one per endpoint; the default is {@link
 * #RETRY_STREAM}. A closed topic ("gone for good") is answered {@code 204 No Content} whatever this
 * says, and a refusal by the application (a 4xx of its choosing) is not affected.
 *
 * <p>Which clients come back after which answer (ssekit's interop tests check each one):
 *
 * <table>
 *   <caption>Clients and refusal answers</caption>
 *   <tr><th>client</th><th>{@link #RETRY_STREAM}</th><th>{@link #SERVICE_UNAVAILABLE}</th></tr>
 *   <tr><td>browsers' {@code EventSource}</td><td>reconnect after the {@code retry:}</td>
 *       <td>fail for good ({@code CLOSED}; {@code Retry-After} ignored)</td></tr>
 *   <tr><td>undici {@code EventSource}, npm {@code eventsource}</td>
 *       <td>reconnect after the {@code retry:}</td><td>fail for good</td></tr>
 *   <tr><td>Jersey {@code SseEventSource}</td><td>reconnect after the {@code retry:}</td>
 *       <td>reconnect after {@code Retry-After}</td></tr>
 *   <tr><td>okhttp-eventsource</td><td>reconnect after the {@code retry:} (less its jitter)</td>
 *       <td>reconnect after its own backoff ({@code Retry-After} ignored)</td></tr>
 * </table>
 *
 * <p><b>Thread safety:</b> an enum: immutable and thread-safe.
 */
public enum RefusalAnswer {
  /**
   * {@code 200} with the stream's headers and a body of exactly one {@code retry:} field, then the
   * end of the response: every client that follows the standard reconnects after that many
   * milliseconds, with the {@code Last-Event-ID} it had (no {@code id:} is sent), and so resumes
   * exactly where it was. The value is random, uniform between half and one and a half times the
   * hub's {@link SseHub.Builder#retryAfter retryAfter} and at least one second, so that many
   * refused clients do not return in the same millisecond. The default.
   */
  RETRY_STREAM,
  /**
   * {@code 503 Service Unavailable} with {@code Retry-After} (the hub's {@link
   * SseHub.Builder#retryAfter retryAfter} in whole seconds, at least 1). Only for deployments whose
   * clients all honour it (of the common ones, Jersey's {@code SseEventSource}): a browser's {@code
   * EventSource} treats any status but {@code 200} as fatal and never reconnects.
   */
  SERVICE_UNAVAILABLE
}
