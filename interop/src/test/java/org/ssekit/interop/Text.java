package org.ssekit.interop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Renders values in failure messages and the matrix: escaped, and long data summarised. */
final class Text {
  private static final int MAX_SHOWN_CHARS = 60;

  private Text() {}

  /** Quotes {@code value} with control characters escaped, or returns {@code null}. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Quotes short data; describes long data by its length and a digest, so that a diff stays
   * readable.
   */
  static String summary(String data) {
    if (data == null || data.length() <= MAX_SHOWN_CHARS) {
      return quote(data);
    }
    return "<"
        + data.length()
        + " chars, sha256 "
        + sha256(data).substring(0, 12)
        + ", starting "
        + quote(data.substring(0, 24))
        + ">";
  }

  static String sha256(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
