package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.ssekit.Selection;
import org.ssekit.internal.TopicNames;

/**
 * A parsed {@link org.ssekit.jaxrs.SseTopic}: its templates, resolved per request into the {@link
 * Selection} of the stream (the rules are documented on the annotation).
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class SelectionTemplate {
  private final List<TopicTemplate> templates;

  private SelectionTemplate(List<TopicTemplate> templates) {
    this.templates = templates;
  }

  /**
   * Parses the values of an {@link org.ssekit.jaxrs.SseTopic}.
   *
   * @throws IllegalArgumentException if there is none, or one is not a well-formed template
   */
  static SelectionTemplate parse(String[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("@SseTopic names no topic: give at least one");
    }
    List<TopicTemplate> templates = new ArrayList<>();
    for (String value : values) {
      templates.add(TopicTemplate.parse(value));
    }
    return new SelectionTemplate(List.copyOf(templates));
  }

  /** Returns the names of the placeholders of every template, in order of first appearance. */
  Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    templates.forEach(template -> names.addAll(template.names()));
    return names;
  }

  /**
   * Checks, when the application starts, that a template that builds a selection can resolve to
   * valid entries at all: each placeholder replaced by {@code x}.
   *
   * @throws IllegalArgumentException with the selection's rule if it cannot
   */
  void checkShape() {
    if (templates.size() == 1 && !templates.get(0).hasWildcard()) {
      return; // may be a one-topic stream, named literally: any value may make it valid
    }
    List<String> entries = new ArrayList<>();
    for (TopicTemplate template : templates) {
      template.expand(name -> List.of("x"), true, TopicNames.MAX_SELECTION_ENTRIES, entries);
    }
    Selection.of(entries);
  }

  /**
   * Returns the selection of a request with these decoded path and query parameters.
   *
   * @throws IllegalArgumentException naming the placeholder or the entry and the rule if a
   *     placeholder has no value, a value would make a wildcard, the result breaks a rule of {@link
   *     Selection} (or of topic names, for a one-topic stream), or has more than 1024 entries
   */
  Selection resolve(
      MultivaluedMap<String, String> pathParameters,
      MultivaluedMap<String, String> queryParameters) {
    if (isOneTopic(pathParameters)) {
      // What @SseTopic always did: one path-parameter value each, the name taken literally.
      List<String> topic = new ArrayList<>(1);
      templates.get(0).expand(name -> singleton(pathParameters.getFirst(name)), false, 1, topic);
      return Selection.topic(topic.get(0));
    }
    Function<String, List<String>> values =
        name ->
            pathParameters.containsKey(name) ? pathParameters.get(name) : queryParameters.get(name);
    List<String> entries = new ArrayList<>();
    for (TopicTemplate template : templates) {
      template.expand(values, true, TopicNames.MAX_SELECTION_ENTRIES, entries);
    }
    return Selection.of(entries);
  }

  /** One template, no wildcard, every placeholder a path parameter: a one-topic stream. */
  private boolean isOneTopic(MultivaluedMap<String, String> pathParameters) {
    TopicTemplate only = templates.get(0);
    return templates.size() == 1
        && !only.hasWildcard()
        && pathParameters.keySet().containsAll(only.names());
  }

  private static List<String> singleton(String value) {
    return value == null ? null : List.of(value);
  }

  @Override
  public String toString() {
    return Arrays.toString(templates.toArray());
  }
}
