package org.ssekit.reliability.hostile;

/**
 * The answers of one category's cases on one server path, by status class.
 *
 * <p><b>Thread safety:</b> not thread-safe; one test thread counts.
 */
final class Tally {
  private int cases;
  private int ok;
  private int clientErrors;
  private int serverErrors;
  private int other;

  /** Counts an answer's status (-1 for a connection that ended without one). */
  void count(int status) {
    cases++;
    if (status >= 200 && status < 300) {
      ok++;
    } else if (status >= 400 && status < 500) {
      clientErrors++;
    } else if (status >= 500) {
      serverErrors++;
    } else {
      other++;
    }
  }

  /** Adds {@code other}'s counts to this one's. */
  void add(Tally more) {
    cases += more.cases;
    ok += more.ok;
    clientErrors += more.clientErrors;
    serverErrors += more.serverErrors;
    other += more.other;
  }

  int cases() {
    return cases;
  }

  int ok() {
    return ok;
  }

  int clientErrors() {
    return clientErrors;
  }

  int serverErrors() {
    return serverErrors;
  }

  /** Answers that were neither 2xx, 4xx nor 5xx, or no status line at all. */
  int other() {
    return other;
  }
}
