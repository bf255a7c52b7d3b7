package org.ssekit.auth.jwt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ssekit.Selection;
import org.ssekit.internal.TopicCoverage;
import org.ssekit.internal.TopicNames;

/**
 * The topics a token may read, from two claims: the configured claim (a list of ssekit selection
 * entries, such as {@code rooms/*} or {@code users/42/**}) and Mercure's {@code mercure.subscribe}
 * (a list of Mercure topic selectors), and whether they cover a whole requested {@link Selection}
 * by the core's coverage rule ({@link TopicCoverage}).
 *
 * <p><b>Mercure selectors</b> are translated: {@code *} alone is every topic ({@code **}); a
 * configured prefix (such as {@code https://example.com/}) is cut from the front; a URI-template
 * expression that is a whole segment, {@code {id}}, is one segment ({@code *}, as a simple
 * expansion never yields {@code /}), and {@code {+path}} as the last segment is any trailing
 * segments ({@code **}). Anything else that is not an exact clean path (another template form, a
 * {@code *} inside a URI, which Mercure takes literally, an empty segment) grants nothing: an entry
 * that cannot be translated exactly is never widened.
 *
 * <p>Claims of the wrong type (not a list of strings, or a string) grant nothing.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param claimName the claim of ssekit selection entries, or null to read none
 * @param readMercure whether {@code mercure.subscribe} is read
 * @param mercurePrefix the prefix cut from Mercure selectors, or null
 */
public record TopicGrants(String claimName, boolean readMercure, String mercurePrefix) {
  private static final Pattern SIMPLE_EXPRESSION = Pattern.compile("\\{[A-Za-z0-9_.%]+\\}");
  private static final Pattern RESERVED_EXPRESSION = Pattern.compile("\\{\\+[A-Za-z0-9_.%]+\\}");

  /**
   * Returns the templates the claims grant, each as its segments.
   *
   * @param claims the token's claims, as nimbus reads JSON (maps, lists, strings)
   */
  public List<String[]> templates(Map<String, Object> claims) {
    List<String[]> templates = new ArrayList<>();
    if (claimName != null) {
      for (String entry : strings(claims.get(claimName))) {
        String[] template = selectionEntry(entry);
        if (template != null) {
          templates.add(template);
        }
      }
    }
    if (readMercure && claims.get("mercure") instanceof Map<?, ?> mercure) {
      for (String selector : strings(mercure.get("subscribe"))) {
        String[] template = mercure(selector);
        if (template != null) {
          templates.add(template);
        }
      }
    }
    return templates;
  }

  /**
   * Returns the first entry of {@code selection} (topics, then selectors) that no template covers,
   * or null if every entry is covered.
   */
  public static String firstUncovered(Selection selection, List<String[]> templates) {
    for (String topic : selection.topics()) {
      if (!covered(templates, topic, false)) {
        return topic;
      }
    }
    for (String selector : selection.selectors()) {
      if (!covered(templates, selector, true)) {
        return selector;
      }
    }
    return null;
  }

  private static boolean covered(List<String[]> templates, String entry, boolean selector) {
    for (String[] template : templates) {
      if (TopicCoverage.covers(template, entry, selector)) {
        return true;
      }
    }
    return false;
  }

  /** An ssekit selection entry as segments, or null if it is not a valid one. */
  private static String[] selectionEntry(String entry) {
    try {
      TopicNames.requireSelectionEntry("topic claim entry", entry);
    } catch (IllegalArgumentException invalid) {
      return null;
    }
    return TopicNames.segments(entry);
  }

  /** A Mercure selector as ssekit segments, or null if it has no exact translation. */
  String[] mercure(String selector) {
    if (selector.equals("*")) {
      return new String[] {"**"};
    }
    String path = selector;
    if (mercurePrefix != null && path.startsWith(mercurePrefix)) {
      path = path.substring(mercurePrefix.length());
    }
    if (path.isEmpty()) {
      return null;
    }
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals("*") || segment.equals("**")) {
        return null; // literal in Mercure, a wildcard here: never widen
      } else if (SIMPLE_EXPRESSION.matcher(segment).matches()) {
        segments[i] = "*";
      } else if (i == segments.length - 1 && RESERVED_EXPRESSION.matcher(segment).matches()) {
        segments[i] = "**";
      } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
        return null; // another template form
      }
    }
    return selectionEntry(String.join("/", segments));
  }

  private static List<String> strings(Object claim) {
    if (claim instanceof String one) {
      return List.of(one);
    }
    List<String> strings = new ArrayList<>();
    if (claim instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof String string) {
          strings.add(string);
        }
      }
    }
    return strings;
  }
}
