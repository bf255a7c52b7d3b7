package org.ssekit.jaxrs.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One parsed {@link org.ssekit.jaxrs.SseTopic} value: literal text and {@code {name}} placeholders,
 * resolved per request from path and query parameters (see {@link SelectionTemplate}).
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

  /** Returns true if the literal text has a {@code *}: the template is a selector. */
  boolean hasWildcard() {
    for (int i = 0; i < parts.size(); i += 2) {
      if (parts.get(i).indexOf('*') >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds to {@code out} what this template resolves to: one entry per combination of its
   * placeholders' values (the first placeholder's values varying slowest), values taken literally.
   *
   * @param values the values of a placeholder, by name: null or empty if it has none
   * @param wildcardFree true to refuse a value with {@code *}, which would become a wildcard
   * @param max the most entries {@code out} may hold
   * @throws IllegalArgumentException naming the placeholder if one has no value or a value with
   *     {@code *} (when {@code wildcardFree}), or if {@code out} would exceed {@code max} entries
   */
  void expand(
      Function<String, List<String>> values, boolean wildcardFree, int max, List<String> out) {
    List<List<String>> valuesByPlaceholder = new ArrayList<>();
    for (int i = 1; i < parts.size(); i += 2) {
      String name = parts.get(i);
      List<String> given = values.apply(name);
      if (given == null || given.isEmpty()) {
        throw new IllegalArgumentException(
            "no value for {"
                + name
                + "} in @SseTopic \""
                + template
                + "\": neither a path nor a query parameter");
      }
      if (wildcardFree) {
        for (String value : given) {
          int star = value.indexOf('*');
          if (star >= 0) {
            throw new IllegalArgumentException(
                "{"
                    + name
                    + "} value has * at "
                    + star
                    + ": wildcards come from the @SseTopic template, never from the request");
          }
        }
      }
      valuesByPlaceholder.add(given);
    }
    expand(valuesByPlaceholder, 0, new StringBuilder(parts.get(0)), max, out);
  }

  private void expand(
      List<List<String>> values, int placeholder, StringBuilder prefix, int max, List<String> out) {
    if (placeholder == values.size()) {
      if (out.size() == max) {
        throw new IllegalArgumentException(
            "@SseTopic resolves to more than " + max + " entries at \"" + template + "\"");
      }
      out.add(prefix.toString());
      return;
    }
    int length = prefix.length();
    String literal = parts.get(2 * placeholder + 2);
    for (String value : values.get(placeholder)) {
      prefix.append(value).append(literal);
      expand(values, placeholder + 1, prefix, max, out);
      prefix.setLength(length);
    }
  }

  @Override
  public String toString() {
    return template;
  }
}
