package org.ssekit;

import java.util.Objects;
import org.ssekit.internal.EventStreamEncoder;
import org.ssekit.internal.LoggedEvents;

/**
 * An event as a topic's {@link EventLog} recorded it: the topic, the id the log assigned, and the
 * event carrying that id. Its wire form is encoded once, on first use, and shared by every
 * subscriber that receives it; it is not handed out (the hub reads it through an internal bridge),
 * so that nobody can change what other subscribers receive.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe (the encoding is cached with a benign race).
 */
public final class LoggedEvent {
  private final String topic;
  private final ServerSentEvent event;
  private volatile byte[] encoded;

  static {
    // The hub needs the shared bytes without a copy; applications get no way to modify them.
    LoggedEvents.register(LoggedEvent::encoded);
  }

  /**
   * Creates a logged event; {@code event}'s own id, if any, is replaced by {@code id}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code id} is not a valid event id
   */
  public LoggedEvent(String topic, String id, ServerSentEvent event) {
    this.topic = Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    this.event = id.equals(event.id()) ? event : event.toBuilder().id(id).build();
  }

  /** Returns the topic the event was published to. */
  public String topic() {
    return topic;
  }

  /** Returns the id the log assigned. */
  public String id() {
    return event.id();
  }

  /** Returns the event, carrying {@link #id()}. */
  public ServerSentEvent event() {
    return event;
  }

  /**
   * Returns the size of the event's wire form in bytes: what it costs a log that bounds its
   * retention in bytes, and a subscriber's queue.
   */
  public int encodedLength() {
    return encoded().length;
  }

  private byte[] encoded() {
    byte[] bytes = encoded;
    if (bytes == null) {
      bytes = EventStreamEncoder.encode(event);
      encoded = bytes;
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "LoggedEvent{topic=" + topic + ", id=" + event.id() + "}";
  }
}
