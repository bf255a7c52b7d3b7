package org.ssekit.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The WHATWG "Interpreting an event stream" steps written as plainly as the standard states them,
 * on the whole stream at once: decode all bytes (the standard's "UTF-8 decode", BOM stripping
 * included), split the text into lines, process each line. No chunks, no buffers, no fast paths:
 * the oracle that {@link EventStreamParserPropertiesTest} holds the real parser to.
 *
 * <p>Calls are recorded as strings: {@code event <type>|<id>|<data>}, {@code comment <text>},
 * {@code retry <millis>}.
 */
final class ReferenceStreamInterpreter {
  private ReferenceStreamInterpreter() {}

  /** Returns the calls a browser makes for the stream {@code bytes}, and then its last event id. */
  static List<String> interpret(byte[] bytes, String initialLastEventId) {
    String text = whatwgUtf8Decode(bytes);
    List<String> calls = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    String eventType = "";
    String lastEventIdBuffer = initialLastEventId;
    String lastEventId = initialLastEventId;
    int i = 0;
    while (true) {
      // A line ends in CRLF, a lone CR or a lone LF; text after the last line end is discarded.
      int end = i;
      while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
        end++;
      }
      if (end == text.length()) {
        break;
      }
      String line = text.substring(i, end);
      i = end + 1;
      if (text.charAt(end) == '\r' && i < text.length() && text.charAt(i) == '\n') {
        i++;
      }
      if (line.isEmpty()) {
        lastEventId = lastEventIdBuffer;
        if (data.length() == 0) {
          eventType = "";
          continue;
        }
        data.setLength(data.length() - 1);
        calls.add(
            "event "
                + (eventType.isEmpty() ? "message" : eventType)
                + "|"
                + lastEventId
                + "|"
                + data);
        data.setLength(0);
        eventType = "";
        continue;
      }
      if (line.charAt(0) == ':') {
        calls.add("comment " + withoutLeadingSpace(line.substring(1)));
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : withoutLeadingSpace(line.substring(colon + 1));
      switch (name) {
        case "event":
          eventType = value;
          break;
        case "data":
          data.append(value).append('\n');
          break;
        case "id":
          if (value.indexOf('\0') < 0) {
            lastEventIdBuffer = value;
          }
          break;
        case "retry":
          if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
              calls.add("retry " + Long.parseLong(value));
            } catch (NumberFormatException tooLarge) {
              // ignored, as the parser documents for numbers beyond a long
            }
          }
          break;
        default:
          break;
      }
    }
    calls.add("lastEventId " + lastEventId);
    return calls;
  }

  private static String withoutLeadingSpace(String value) {
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  /**
   * The WHATWG Encoding standard's "UTF-8 decode": strip one leading BOM, then its UTF-8 decoder,
   * which emits one U+FFFD per maximal subpart of a malformed sequence.
   */
  static String whatwgUtf8Decode(byte[] bytes) {
    int i = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    StringBuilder out = new StringBuilder();
    int codePoint = 0;
    int bytesSeen = 0;
    int bytesNeeded = 0;
    int lower = 0x80;
    int upper = 0xBF;
    while (i <= bytes.length) {
      if (i == bytes.length) {
        if (bytesNeeded != 0) {
          out.append('\ufffd');
        }
        break;
      }
      int b = bytes[i] & 0xFF;
      if (bytesNeeded == 0) {
        i++;
        if (b <= 0x7F) {
          out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
          bytesNeeded = 1;
          codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
          lower = b == 0xE0 ? 0xA0 : 0x80;
          upper = b == 0xED ? 0x9F : 0xBF;
          bytesNeeded = 2;
          codePoint = b & 0xF;
        } else if (b >= 0xF0 && b <= 0xF4) {
          lower = b == 0xF0 ? 0x90 : 0x80;
          upper = b == 0xF4 ? 0x8F : 0xBF;
          bytesNeeded = 3;
          codePoint = b & 0x7;
        } else {
          out.append('\ufffd');
        }
        continue;
      }
      if (b < lower || b > upper) {
        // The byte is not consumed: it starts the next sequence ("prepend to stream").
        codePoint = 0;
        bytesNeeded = 0;
        bytesSeen = 0;
        lower = 0x80;
        upper = 0xBF;
        out.append('\ufffd');
        continue;
      }
      i++;
      lower = 0x80;
      upper = 0xBF;
      codePoint = (codePoint << 6) | (b & 0x3F);
      bytesSeen++;
      if (bytesSeen == bytesNeeded) {
        out.appendCodePoint(codePoint);
        codePoint = 0;
        bytesNeeded = 0;
        bytesSeen = 0;
      }
    }
    return out.toString();
  }
}
