package org.ssekit.client;

import java.util.Objects;

/**
 * An event as a browser dispatches it after parsing an event stream: what its {@code MessageEvent}
 * carries.
 *
 * <p>Produced by {@link EventStreamParser}. Unlike an event as a server writes it, the fields here
 * are never absent: the type is {@code message} when the stream named none, and the last event id
 * is empty when the stream never set one (or reset it with an empty {@code id}). Line breaks in the
 * data are always LF, whatever the stream used.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param type the event type, never null; the parser gives {@code "message"} when the stream sent
 *     no {@code event} field or an empty one
 * @param data the data lines joined with LF, never null; may be empty
 * @param lastEventId the last event id at the time of dispatch, never null; {@code ""} when none
 */
public record ReceivedEvent(String type, String data, String lastEventId) {
  /**
   * Checks that no component is null.
   *
   * @param type the event type
   * @param data the data
   * @param lastEventId the last event id
   * @throws NullPointerException if any component is null
   */
  public ReceivedEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(lastEventId, "lastEventId");
  }

  /** Describes the event without its data, which may be secret. */
  @Override
  public String toString() {
    return "ReceivedEvent[type="
        + type
        + ", lastEventId="
        + lastEventId
        + ", dataChars="
        + data.length()
        + "]";
  }
}
