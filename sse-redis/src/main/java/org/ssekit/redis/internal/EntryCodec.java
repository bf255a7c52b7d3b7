package org.ssekit.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ssekit.ServerSentEvent;

/**
 * The fields of the log's entries. A topic's event entry has {@code e} (the topic's epoch), {@code
 * n} (its number in the topic, 1 for the first), {@code d} (data), and, when present, {@code t}
 * (event type), {@code r} (retry in milliseconds) and {@code c0}, {@code c1}, ... (comments). The
 * entry that closes a topic has the single field {@code closed}. The index entry of either (same
 * id) adds {@code k} (the topic name) and {@code g} (its number in the index, 1 for the first), and
 * the index entry of a closing also has {@code e}.
 *
 * <p>Fields are short because every entry carries them; the wire form is not stored, because the id
 * is only known once Redis has appended the entry.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class EntryCodec {
  static final String TOPIC = "k";
  static final String LOG_NUMBER = "g";
  static final String EPOCH = "e";
  static final String NUMBER = "n";
  static final String DATA = "d";
  static final String TYPE = "t";
  static final String RETRY = "r";
  static final String COMMENT = "c";
  static final String CLOSED = "closed";

  private EntryCodec() {}

  /** Returns the field-value pairs of {@code event}, without its id, epoch and number. */
  static List<String> encode(ServerSentEvent event) {
    List<String> fields = new ArrayList<>(4 + 2 * event.comments().size());
    fields.add(DATA);
    fields.add(event.data());
    if (event.event() != null) {
      fields.add(TYPE);
      fields.add(event.event());
    }
    if (event.retry() != null) {
      fields.add(RETRY);
      fields.add(Long.toString(event.retry().toMillis()));
    }
    List<String> comments = event.comments();
    for (int i = 0; i < comments.size(); i++) {
      fields.add(COMMENT + i);
      fields.add(comments.get(i));
    }
    return fields;
  }

  /** Returns true if {@code fields} are those of the entry that closes a topic. */
  static boolean isClosing(Map<String, String> fields) {
    return fields.containsKey(CLOSED);
  }

  /**
   * Returns the event that {@code fields} hold, without id.
   *
   * @throws IllegalArgumentException if the fields do not hold an event (the entry was not written
   *     by this log), naming the first problem
   */
  static ServerSentEvent decode(Map<String, String> fields) {
    String data = fields.get(DATA);
    if (data == null) {
      throw new IllegalArgumentException("entry has no data field " + DATA);
    }
    ServerSentEvent.Builder event = ServerSentEvent.builder().data(data).event(fields.get(TYPE));
    String retry = fields.get(RETRY);
    if (retry != null) {
      try {
        event.retry(Duration.ofMillis(Long.parseLong(retry)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("entry retry is not a number: " + retry, e);
      }
    }
    for (int i = 0; ; i++) {
      String comment = fields.get(COMMENT + i);
      if (comment == null) {
        break;
      }
      event.comment(comment);
    }
    return event.build();
  }

  /** Returns the entry's number {@code field} ({@link #NUMBER} or {@link #LOG_NUMBER}), or 0. */
  static long number(Map<String, String> fields, String field) {
    String number = fields.get(field);
    if (number == null) {
      return 0;
    }
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
