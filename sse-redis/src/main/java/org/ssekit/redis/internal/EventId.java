package org.ssekit.redis.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An event id of the Redis log: {@code <epoch>:<ms>-<seq>}, the topic's epoch and the stream entry
 * id.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 *
 * @param epoch the epoch of the topic's incarnation that assigned the id
 * @param entry the stream entry id
 */
record EventId(String epoch, StreamId entry) {
  /** The length of the epochs the log makes: 8 base-36 chars, about 2.8 * 10^12 values. */
  static final int EPOCH_CHARS = 8;

  /** The longest epoch accepted; the log makes them {@value #EPOCH_CHARS} chars long. */
  static final int MAX_EPOCH_CHARS = 16;

  /** Returns a new random epoch of {@value #EPOCH_CHARS} base-36 chars. */
  static String newEpoch() {
    long low = 78_364_164_096L; // 36^7: the smallest 8-digit base-36 number
    return Long.toString(ThreadLocalRandom.current().nextLong(low, low * 36), 36);
  }

  /** Parses an event id, or returns null if it is not one this log could have assigned. */
  static EventId parse(String id) {
    int colon = id.indexOf(':');
    if (colon < 1 || colon > MAX_EPOCH_CHARS) {
      return null;
    }
    for (int i = 0; i < colon; i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
        return null;
      }
    }
    StreamId entry = StreamId.parse(id, colon + 1, id.length());
    return entry == null ? null : new EventId(id.substring(0, colon), entry);
  }

  /** Formats the event id of {@code entry} in {@code epoch}. */
  static String format(String epoch, String entry) {
    return epoch + ":" + entry;
  }

  @Override
  public String toString() {
    return format(epoch, entry.toString());
  }
}
