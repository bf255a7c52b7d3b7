package org.ssekit.internal;

import java.time.Duration;

/**
 * Validation of event-stream field values, shared by the event builder and the encoder.
 *
 * <p>Messages name the field, the offending character as hex and its index, never the value itself
 * (event data may be secret).
 */
public final class FieldChecks {
  private static final Duration MAX_RETRY = Duration.ofMillis(Long.MAX_VALUE);

  private FieldChecks() {}

  /**
   * Requires that {@code value} contains no CR or LF (and, if {@code rejectNul}, no NUL) and no
   * unpaired surrogate.
   *
   * @throws IllegalArgumentException naming {@code field}, the character and its index
   */
  public static void requireSingleLine(String field, String value, boolean rejectNul) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException(
            "unexpected char "
                + hex(c)
                + " at "
                + i
                + " in "
                + field
                + ": CR and LF are not allowed");
      }
      if (c == '\0' && rejectNul) {
        throw new IllegalArgumentException(
            "unexpected char " + hex(c) + " at " + i + " in " + field + ": NUL is not allowed");
      }
      if (Character.isSurrogate(c)) {
        i = checkSurrogatePair(field, value, i);
      }
    }
  }

  /**
   * Requires that {@code value} is well-formed UTF-16 (no unpaired surrogate), so that it can be
   * encoded as UTF-8 without loss, and tells whether it is all ASCII (its UTF-8 bytes are then its
   * chars).
   *
   * @return true if every char of {@code value} is below 0x80
   * @throws IllegalArgumentException naming {@code field}, the surrogate and its index
   */
  public static boolean requireWellFormed(String field, String value) {
    // The walk is needed for the surrogates anyway; or-ing the chars on the way costs next to
    // nothing.
    int allBits = 0;
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      allBits |= c;
      if (Character.isSurrogate(c)) {
        i = checkSurrogatePair(field, value, i);
      }
    }
    return allBits < 0x80;
  }

  /** Returns the index of the low surrogate of the pair that starts at {@code i}, or throws. */
  private static int checkSurrogatePair(String field, String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)
        && i + 1 < value.length()
        && Character.isLowSurrogate(value.charAt(i + 1))) {
      return i + 1;
    }
    throw new IllegalArgumentException(
        "unpaired surrogate "
            + hex(c)
            + " at "
            + i
            + " in "
            + field
            + ": it cannot be encoded as UTF-8");
  }

  /** Formats a char as {@code 0x0a}. */
  public static String hex(char c) {
    String digits = Integer.toHexString(c);
    return digits.length() % 2 == 0 ? "0x" + digits : "0x0" + digits;
  }

  /**
   * Requires that {@code retry} has a wire form: whole milliseconds from 0 to {@link
   * Long#MAX_VALUE}.
   *
   * @throws IllegalArgumentException naming {@code name} and the rule
   */
  public static Duration requireRetry(String name, Duration retry) {
    if (retry.isNegative()) {
      throw new IllegalArgumentException(name + " < 0: " + retry);
    }
    if (retry.compareTo(MAX_RETRY) > 0) {
      throw new IllegalArgumentException(name + " > Long.MAX_VALUE ms: " + retry);
    }
    return retry;
  }
}
