package org.ssekit.reliability.hostile;

import java.util.Set;

/**
 * What a hostile request must get, as the READMEs document it: a stream ({@code 200}, {@code
 * text/event-stream}), a stream whose first event is the {@code ssekit-gap} notice of an unknown
 * {@code Last-Event-ID}, a given 4xx with a plain-text reason holding {@code reason}, or, where the
 * container decides before any ssekit code runs (a head over its size limit, bytes its HTTP parser
 * refuses), any 4xx. Never a 5xx, and never a stack trace in the body.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param statuses the statuses allowed
 * @param gapFirst whether a {@code 200} must begin with the {@code ssekit-gap} notice
 * @param anyClientError whether any 4xx is allowed besides {@code statuses}
 * @param reason a fragment the body of a 4xx in {@code statuses} must hold, or null
 */
record Expect(Set<Integer> statuses, boolean gapFirst, boolean anyClientError, String reason) {
  /** A stream. */
  static Expect stream() {
    return new Expect(Set.of(200), false, false, null);
  }

  /** A stream that begins with the unknown-id gap notice. */
  static Expect gap() {
    return new Expect(Set.of(200), true, false, null);
  }

  /** Exactly {@code status}, with {@code reason} in the body (unless null). */
  static Expect refusal(int status, String reason) {
    return new Expect(Set.of(status), false, false, reason);
  }

  /** Any 4xx: the container refuses the request before ssekit sees it. */
  static Expect containerRefusal() {
    return new Expect(Set.of(), false, true, null);
  }

  /** This expectation, or else any 4xx of the container's. */
  Expect orContainerRefusal() {
    return new Expect(statuses, gapFirst, true, reason);
  }

  /** Returns null if {@code answer} meets this expectation, else what is wrong with it. */
  String check(Answer answer) {
    if (answer.status() >= 500) {
      return "a " + answer.status();
    }
    String trace = answer.stackTrace();
    if (trace != null) {
      return "a stack trace in the answer: " + trace;
    }
    if (statuses.contains(answer.status())) {
      if (answer.status() == 200 && !answer.isEventStream()) {
        return "200 without text/event-stream";
      }
      if (gapFirst && answer.status() == 200 && !answer.firstEventIsGap()) {
        return "no ssekit-gap notice first: " + answer.bodyText(200);
      }
      if (reason != null && !answer.bodyText(4096).contains(reason)) {
        return "reason without \"" + reason + "\": " + answer.bodyText(200);
      }
      return null;
    }
    if (anyClientError && answer.status() >= 400 && answer.status() < 500) {
      return null;
    }
    return "status " + answer.status() + " (expected " + this + ")";
  }

  @Override
  public String toString() {
    return statuses + (gapFirst ? " with gap notice" : "") + (anyClientError ? " or any 4xx" : "");
  }
}
