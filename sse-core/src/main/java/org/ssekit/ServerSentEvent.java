package org.ssekit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ssekit.internal.FieldChecks;
import org.ssekit.internal.ServerSentEvents;

/**
 * One event of an event stream: optional {@code id}, {@code event} type and {@code retry}, the
 * {@code data}, and comments.
 *
 * <p>Every instance encodes to exactly one event that a browser dispatches: the data is always
 * sent, even when empty. Values are validated when the event is built, so an event that exists can
 * always be encoded without altering what the client sees:
 *
 * <ul>
 *   <li>{@code id} and {@code event} must not contain CR or LF, and {@code id} must not contain NUL
 *       (browsers ignore such an id);
 *   <li>{@code retry} must not be negative;
 *   <li>no field may contain an unpaired surrogate (it has no UTF-8 form).
 * </ul>
 *
 * {@code data} and comments may contain any line breaks (CR, LF, CRLF); each line becomes its own
 * {@code data:} or comment line on the wire.
 *
 * <p>Events published to a topic get their id from the topic's {@link EventLog}; build them without
 * an id.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class ServerSentEvent {
  static {
    // The encoder reads what the builder learnt about the data; applications have no use for it.
    ServerSentEvents.register(ServerSentEvent::hasAsciiData);
  }

  private final String id;
  private final String event;
  private final String data;
  private final boolean
      asciiData; // learnt while the builder checked it: lets the encoder copy it once
  private final Duration retry;
  private final List<String> comments;

  private ServerSentEvent(Builder builder) {
    this.id = builder.id;
    this.event = builder.event;
    this.data = builder.data;
    this.asciiData = builder.asciiData;
    this.retry = builder.retry;
    this.comments = List.copyOf(builder.comments);
  }

  /**
   * Returns an event with the given data and no other field.
   *
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalArgumentException if {@code data} contains an unpaired surrogate
   */
  public static ServerSentEvent of(String data) {
    return builder().data(data).build();
  }

  /** Returns a new builder with empty data and no other field. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder initialised with this event's fields. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.id = id;
    builder.event = event;
    builder.data = data;
    builder.asciiData = asciiData;
    builder.retry = retry;
    builder.comments.addAll(comments);
    return builder;
  }

  /** Returns the event id, or null if absent. An empty id resets the client's last event id. */
  public String id() {
    return id;
  }

  /** Returns the event type, or null if absent (the client then sees {@code message}). */
  public String event() {
    return event;
  }

  /** Returns the data, never null; may be empty or span several lines. */
  public String data() {
    return data;
  }

  /** Returns true if every char of the data is ASCII, so that its UTF-8 bytes are its chars. */
  private boolean hasAsciiData() {
    return asciiData;
  }

  /** Returns the reconnection time to send with this event, or null if absent. */
  public Duration retry() {
    return retry;
  }

  /** Returns the comments sent with this event (clients ignore them), never null. */
  public List<String> comments() {
    return comments;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ServerSentEvent)) {
      return false;
    }
    ServerSentEvent that = (ServerSentEvent) o;
    return Objects.equals(id, that.id)
        && Objects.equals(event, that.event)
        && data.equals(that.data)
        && Objects.equals(retry, that.retry)
        && comments.equals(that.comments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, event, data, retry, comments);
  }

  /** Describes the event without its data and comments, which may be secret. */
  @Override
  public String toString() {
    return "ServerSentEvent{id="
        + id
        + ", event="
        + event
        + ", retry="
        + retry
        + ", dataChars="
        + data.length()
        + ", comments="
        + comments.size()
        + "}";
  }

  /**
   * Builds a {@link ServerSentEvent}. Each setter checks its argument at once.
   *
   * <p><b>Thread safety:</b> not thread-safe; confine a builder to one thread.
   */
  public static final class Builder {
    private String id;
    private String event;
    private String data = "";
    private boolean asciiData = true;
    private Duration retry;
    private final List<String> comments = new ArrayList<>(0);

    private Builder() {}

    /**
     * Sets the id, or removes it when null.
     *
     * @throws IllegalArgumentException if {@code id} contains CR, LF, NUL or an unpaired surrogate
     */
    public Builder id(String id) {
      if (id != null) {
        FieldChecks.requireSingleLine("id", id, true);
      }
      this.id = id;
      return this;
    }

    /**
     * Sets the event type, or removes it when null.
     *
     * @throws IllegalArgumentException if {@code event} contains CR, LF or an unpaired surrogate
     */
    public Builder event(String event) {
      if (event != null) {
        FieldChecks.requireSingleLine("event", event, false);
      }
      this.event = event;
      return this;
    }

    /**
     * Sets the data; lines may end in CR, LF or CRLF.
     *
     * @throws NullPointerException if {@code data} is null (use an empty string)
     * @throws IllegalArgumentException if {@code data} contains an unpaired surrogate
     */
    public Builder data(String data) {
      Objects.requireNonNull(data, "data");
      this.asciiData = FieldChecks.requireWellFormed("data", data);
      this.data = data;
      return this;
    }

    /**
     * Sets the reconnection time sent to the client, or removes it when null. It is sent in whole
     * milliseconds.
     *
     * @throws IllegalArgumentException if {@code retry} is negative or more than {@link
     *     Long#MAX_VALUE} milliseconds
     */
    public Builder retry(Duration retry) {
      if (retry != null) {
        FieldChecks.requireRetry("retry", retry);
      }
      this.retry = retry;
      return this;
    }

    /**
     * Adds a comment; lines may end in CR, LF or CRLF and each becomes its own comment line.
     *
     * @throws NullPointerException if {@code comment} is null
     * @throws IllegalArgumentException if {@code comment} contains an unpaired surrogate
     */
    public Builder comment(String comment) {
      Objects.requireNonNull(comment, "comment");
      FieldChecks.requireWellFormed("comment", comment);
      comments.add(comment);
      return this;
    }

    /** Returns the event. */
    public ServerSentEvent build() {
      return new ServerSentEvent(this);
    }
  }
}
