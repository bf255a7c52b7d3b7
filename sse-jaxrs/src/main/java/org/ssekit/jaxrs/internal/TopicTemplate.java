package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ssekit.internal.TopicNames;

/**
 * A parsed {@link org.ssekit.jaxrs.SseTopic} value: literal text and {@code {name}} placeholders,
 * resolved per request from path parameters.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class TopicTemplate {
  private final String template;

  /**
   * Alternating literal, name, literal, ...; always odd in length, starting and ending with a
   * literal.
   */
  private final List<String> parts;

  private TopicTemplate(String template, List<String> parts) {
    this.template = template;
    this.parts = parts;
  }

  /**
   * Parses {@code template}.
   *
   * @throws IllegalArgumentException if a brace is unbalanced or a placeholder is empty or nested
   */
  static TopicTemplate parse(String template) {
    List<String> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '}') {
        throw new IllegalArgumentException(
            "unbalanced '}' at " + i + " in topic template: " + template);
      }
      if (c != '{') {
        literal.append(c);
        i++;
        continue;
      }
      int end = template.indexOf('}', i + 1);
      int nested = template.indexOf('{', i + 1);
      if (end < 0 || (nested >= 0 && nested < end)) {
        throw new IllegalArgumentException(
            "unbalanced '{' at " + i + " in topic template: " + template);
      }
      String name = template.substring(i + 1, end).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            "empty placeholder at " + i + " in topic template: " + template);
      }
      parts.add(literal.toString());
      literal.setLength(0);
      parts.add(name);
      i = end + 1;
    }
    parts.add(literal.toString());
    if (parts.size() == 1 && template.isEmpty()) {
      throw new IllegalArgumentException("topic template is empty");
    }
    return new TopicTemplate(template, List.copyOf(parts));
  }

  /** Returns the names of the placeholders, in order of first appearance. */
  Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) {
      names.add(parts.get(i));
    }
    return names;
  }

  /**
   * Returns the topic name for a request's decoded path parameters.
   *
   * @throws IllegalArgumentException if a parameter is missing, or the result is not a valid topic
   *     name
   */
  String resolve(MultivaluedMap<String, String> pathParameters) {
    StringBuilder topic = new StringBuilder(parts.get(0));
    for (int i = 1; i < parts.size(); i += 2) {
      String value = pathParameters.getFirst(parts.get(i));
      if (value == null) {
        throw new IllegalArgumentException(
            "no path parameter " + parts.get(i) + " for topic template: " + template);
      }
      topic.append(value).append(parts.get(i + 1));
    }
    // The core's rule, applied before the stream is committed: a bad name becomes a 400, not a
    // failed stream.
    return TopicNames.requireValid(topic.toString());
  }

  @Override
  public String toString() {
    return template;
  }
}
