package org.ssekit.internal;

/**
 * Writes JSON strings: the one JSON the core emits (presence events' data).
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class Json {
  private Json() {}

  /**
   * Appends {@code value} to {@code out} as a JSON string: quoted, with {@code "}, {@code \} and
   * control characters escaped (RFC 8259).
   */
  static void quote(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
