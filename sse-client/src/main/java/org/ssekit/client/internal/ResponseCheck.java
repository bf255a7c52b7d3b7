package org.ssekit.client.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.ssekit.client.EventSourceException;

/**
 * Decides what a response means for a source, from its status and headers alone: a stream to read,
 * the end of the source ({@code 204}), a wait before retrying ({@code 503}/{@code 429} with {@code
 * Retry-After}), or a failure.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param kind what to do
 * @param retryAfterMillis for {@link Kind#RETRY_AFTER}, how long to wait; 0 otherwise
 * @param cause for {@link Kind#RETRY_AFTER} and {@link Kind#FAIL}, why; null otherwise
 */
record ResponseCheck(Kind kind, long retryAfterMillis, EventSourceException cause) {
  /** What a response means. */
  enum Kind {
    /** 200 with an event stream: read it. */
    STREAM,
    /** 204: close the source for good, without error. */
    STOP,
    /** 503 or 429 with a valid Retry-After: wait that long, then reconnect. */
    RETRY_AFTER,
    /** Anything else: fail the source. */
    FAIL
  }

  private static final String EVENT_STREAM = "text/event-stream";

  /**
   * Decides for a response received at {@code now}.
   *
   * @param statusCode the status code
   * @param headers the response headers
   * @param now the time, for a Retry-After that is a date
   */
  static ResponseCheck of(int statusCode, HttpHeaders headers, Instant now) {
    if (statusCode == 200) {
      String type = headers.firstValue("Content-Type").orElse("");
      int semicolon = type.indexOf(';');
      String essence = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
      if (essence.toLowerCase(Locale.ROOT).equals(EVENT_STREAM)) {
        return new ResponseCheck(Kind.STREAM, 0, null);
      }
      return fail("content type not " + EVENT_STREAM + ": " + printable(type), statusCode);
    }
    if (statusCode == 204) {
      return new ResponseCheck(Kind.STOP, 0, null);
    }
    if (statusCode == 503 || statusCode == 429) {
      Optional<String> header = headers.firstValue("Retry-After");
      Optional<Duration> wait = header.flatMap(value -> retryAfter(value, now));
      if (wait.isPresent()) {
        return new ResponseCheck(
            Kind.RETRY_AFTER,
            wait.get().toMillis(),
            new EventSourceException(
                "status " + statusCode + " with Retry-After: " + printable(header.get()),
                statusCode,
                null));
      }
      return fail("status " + statusCode + " without a valid Retry-After", statusCode);
    }
    return fail("status not 200: " + statusCode, statusCode);
  }

  /**
   * Parses a Retry-After value: delta-seconds or an HTTP date (RFC 9110); a date in the past means
   * no wait. Returns empty for anything else.
   */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String trimmed = value.trim();
    if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
      } catch (NumberFormatException | ArithmeticException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static ResponseCheck fail(String message, int statusCode) {
    return new ResponseCheck(Kind.FAIL, 0, new EventSourceException(message, statusCode, null));
  }

  /** Escapes control characters of a header value for a message. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length() && i < 100; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
