package org.ssekit.interop;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ssekit.Selection;

/**
 * The query of a {@link Endpoint#SELECTION} request, the one place that defines it: under the run's
 * topic {@code <run>}, each {@code topic=<name>} names the exact topic {@code <run>/<name>} and
 * each {@code under=<name>} the selector {@code <run>/<name>/*} (one segment below it); a request
 * has at least one of each. The sse-jaxrs path declares the same shape as {@code @SseTopic}
 * templates ({@link #TOPIC_TEMPLATE}, {@link #UNDER_TEMPLATE}) and the library resolves them; the
 * servlet paths build the {@link Selection} here, from the same parameters.
 */
final class SelectionQuery {
  /** The query parameter of an exact topic under the run's. */
  static final String TOPIC = "topic";

  /** The query parameter of a selector {@code <run>/<value>/*}. */
  static final String UNDER = "under";

  /** The {@code @SseTopic} template of the exact topics; {@code {run}} is the path parameter. */
  static final String TOPIC_TEMPLATE = "{run}/{" + TOPIC + "}";

  /** The {@code @SseTopic} template of the selectors. */
  static final String UNDER_TEMPLATE = "{run}/{" + UNDER + "}/*";

  private SelectionQuery() {}

  /** Returns the query string, {@code ?} included, of {@code topics} and {@code under}. */
  static String of(List<String> topics, List<String> under) {
    List<String> parameters = new ArrayList<>();
    for (String topic : topics) {
      parameters.add(TOPIC + "=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
    }
    for (String name : under) {
      parameters.add(UNDER + "=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }
    return "?" + String.join("&", parameters);
  }

  /**
   * Returns the selection that a request for {@code run} with these (decoded) query parameters
   * names, as the servlet paths serve it.
   *
   * @throws IllegalArgumentException if a parameter is missing, or the selection breaks a rule of
   *     {@link Selection#of} (the message names the entry and the rule)
   */
  static Selection selection(String run, Map<String, String[]> parameters) {
    List<String> entries = new ArrayList<>();
    for (String topic : values(parameters, TOPIC)) {
      entries.add(run + "/" + topic);
    }
    for (String name : values(parameters, UNDER)) {
      entries.add(run + "/" + name + "/*");
    }
    return Selection.of(entries);
  }

  private static String[] values(Map<String, String[]> parameters, String name) {
    String[] values = parameters.get(name);
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("query parameter " + name + " missing: give at least one");
    }
    for (String value : values) {
      int star = value.indexOf('*');
      if (star >= 0) {
        // As on the JAX-RS path: wildcards come from this query's shape, never from a value.
        throw new IllegalArgumentException(
            "query parameter " + name + " has * at " + star + ": values are taken literally");
      }
    }
    return values;
  }
}
