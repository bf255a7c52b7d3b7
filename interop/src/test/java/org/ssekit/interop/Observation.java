package org.ssekit.interop;

/**
 * One thing a client reported through its own API: its connection opened, it dispatched an event,
 * or it reported an error.
 *
 * @param kind what happened
 * @param type the event type, for {@link Kind#EVENT}; otherwise null
 * @param data the event data, for {@link Kind#EVENT}; otherwise null
 * @param lastEventId the last event id the client reported with the event, or null if its API
 *     reports none for this event (see {@link ClientKind#JERSEY})
 * @param detail the error or state the client reported, for {@link Kind#ERROR}; otherwise null
 */
record Observation(Kind kind, String type, String data, String lastEventId, String detail) {
  /** What a client reported. */
  enum Kind {
    /** The connection opened (the {@code open} event). */
    OPEN,
    /** An event was dispatched. */
    EVENT,
    /** The client reported an error or the end of a connection. */
    ERROR
  }

  static Observation open() {
    return new Observation(Kind.OPEN, null, null, null, null);
  }

  static Observation event(String type, String data, String lastEventId) {
    return new Observation(Kind.EVENT, type, data, lastEventId, null);
  }

  static Observation error(String detail) {
    return new Observation(Kind.ERROR, null, null, null, detail);
  }

  /** Describes the observation with its data shortened and escaped, for failure messages. */
  @Override
  public String toString() {
    switch (kind) {
      case EVENT:
        return "event(type="
            + Text.quote(type)
            + ", data="
            + Text.summary(data)
            + ", lastEventId="
            + (lastEventId == null ? "(not reported)" : Text.quote(lastEventId))
            + ")";
      case ERROR:
        return "error(" + detail + ")";
      default:
        return "open";
    }
  }
}
