package org.ssekit.internal;

/**
 * When one selection entry is covered by an allowed template: every topic the entry can match is a
 * topic the template matches. This is the rule that keeps a selector from reaching past what a
 * principal may read: {@code users/alice/**} and {@code users/alice/*} are covered by {@code
 * users/alice/**}, but {@code users/*}{@code /notifications} is not, as it matches bob's topics
 * too.
 *
 * <p>The template is a selection entry ({@code *} one segment, {@code **} last only, any number of
 * trailing segments, none included). An exact topic is covered if the template matches it (the
 * topic taken literally, as a stream of one topic takes it). A selector is covered, segment by
 * segment, if:
 *
 * <ul>
 *   <li>the template ends in {@code **} after {@code p} segments, the selector has at least {@code
 *       p} segments before its own {@code **} (or at least {@code p} segments, if it has none), and
 *       each of its first {@code p} segments is covered; or
 *   <li>the template has no {@code **}, nor has the selector, both have the same number of segments
 *       and each is covered;
 * </ul>
 *
 * where a template segment {@code *} covers any segment ({@code *} included) and a literal template
 * segment covers only the same literal (never {@code *}).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class TopicCoverage {
  private TopicCoverage() {}

  /**
   * Returns true if the template of {@code templateSegments} (see {@link TopicNames#segments})
   * covers the selection entry {@code entry}, a topic if {@code selector} is false, else a
   * selector.
   */
  public static boolean covers(String[] templateSegments, String entry, boolean selector) {
    if (!selector) {
      return TopicNames.matches(templateSegments, entry);
    }
    String[] entrySegments = TopicNames.segments(entry);
    int m = templateSegments.length;
    int n = entrySegments.length;
    boolean templateAny = TopicNames.isAny(templateSegments[m - 1]);
    boolean entryAny = TopicNames.isAny(entrySegments[n - 1]);
    int prefix; // the segments to compare one by one
    if (templateAny) {
      prefix = m - 1;
      if ((entryAny ? n - 1 : n) < prefix) {
        return false; // the entry matches topics shorter than any the template matches
      }
    } else {
      if (entryAny || n != m) {
        return false;
      }
      prefix = m;
    }
    for (int i = 0; i < prefix; i++) {
      if (!TopicNames.isOne(templateSegments[i]) && !templateSegments[i].equals(entrySegments[i])) {
        return false; // also when the entry's segment is * and the template's is a literal
      }
    }
    return true;
  }
}
