package org.ssekit.samples.war;

import java.util.regex.Pattern;

/** The topic names this application accepts: 1-64 characters of {@code [A-Za-z0-9_-]}. */
final class Topics {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Topics() {}

  /** Returns null if {@code topic} is a valid name, otherwise the reason to answer with a 400. */
  static String problem(String topic) {
    if (topic == null) {
      return "missing query parameter: topic";
    }
    if (!NAME.matcher(topic).matches()) {
      return "topic must be 1-64 chars of [A-Za-z0-9_-]";
    }
    return null;
  }
}
