package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ssekit.internal.TopicCoverage;
import org.ssekit.internal.TopicNames;

/**
 * The coverage rule of an allowed template over a selection entry: an allowed selection never
 * matches a topic outside the templates.
 */
class TopicCoverageTest {
  private static boolean covers(String template, String entry) {
    boolean selector = TopicNames.requireSelectionEntry("entry", entry);
    return TopicCoverage.covers(TopicNames.segments(template), entry, selector);
  }

  @Example
  void aPrincipalsSubtreeCoversItsTopicsAndSelectorsBelowIt() {
    assertThat(covers("users/alice/**", "users/alice")).isTrue();
    assertThat(covers("users/alice/**", "users/alice/inbox")).isTrue();
    assertThat(covers("users/alice/**", "users/alice/**")).isTrue();
    assertThat(covers("users/alice/**", "users/alice/*")).isTrue();
    assertThat(covers("users/alice/**", "users/alice/*/x/**")).isTrue();
  }

  @Example
  void aSelectorThatReachesOtherPrincipalsIsNotCovered() {
    assertThat(covers("users/alice/**", "users/*/notifications")).isFalse();
    assertThat(covers("users/alice/**", "users/**")).isFalse();
    assertThat(covers("users/alice/**", "**")).isFalse();
    assertThat(covers("users/alice/**", "users/bob/inbox")).isFalse();
    assertThat(covers("users/alice/**", "users/alicex")).isFalse();
  }

  @Example
  void oneSegmentWildcardsCoverOnlyOneSegment() {
    assertThat(covers("rooms/*", "rooms/lobby")).isTrue();
    assertThat(covers("rooms/*", "rooms/*")).isTrue();
    assertThat(covers("rooms/*", "rooms/**")).isFalse(); // rooms itself and rooms/a/b
    assertThat(covers("rooms/*", "rooms/a/b")).isFalse();
    assertThat(covers("rooms/lobby", "rooms/*")).isFalse();
    assertThat(covers("rooms/*/**", "rooms/a/**")).isTrue();
    assertThat(covers("rooms/*/**", "rooms/**")).isFalse(); // rooms itself
    assertThat(covers("**", "anything/at/**")).isTrue();
  }

  @Example
  void anExactTopicIsTakenLiterally() {
    // Selection.topic takes a name with a * segment literally: covered as that topic.
    assertThat(TopicCoverage.covers(TopicNames.segments("users/alice/**"), "users/*", false))
        .isFalse();
    assertThat(TopicCoverage.covers(TopicNames.segments("users/*"), "users/*", false)).isTrue();
  }

  /** The property: whatever a covered entry matches, the template matches. */
  @Property(tries = 2000)
  void aCoveredEntryNeverMatchesATopicOutsideTheTemplate(
      @ForAll("patterns") String template,
      @ForAll("patterns") String entry,
      @ForAll("topics") List<String> topics) {
    if (!covers(template, entry)) {
      return;
    }
    Selection entrySelection = Selection.of(entry);
    Selection templateSelection = Selection.of(template);
    for (String topic : topics) {
      if (entrySelection.matches(topic)) {
        assertThat(templateSelection.matches(topic)).as(topic).isTrue();
      }
    }
    for (String topic : instances(entry)) {
      assertThat(templateSelection.matches(topic)).as(topic).isTrue();
    }
  }

  /** The converse: the rule refuses only entries that do reach a topic outside the template. */
  @Property(tries = 2000)
  void anUncoveredEntryMatchesSomeTopicTheTemplateDoesNot(
      @ForAll("patterns") String template, @ForAll("patterns") String entry) {
    if (covers(template, entry)) {
      return;
    }
    Selection templateSelection = Selection.of(template);
    assertThat(instances(entry)).anyMatch(topic -> !templateSelection.matches(topic));
  }

  /** Topics an entry matches: its wildcards replaced by segments, ** by zero to two of them. */
  private static List<String> instances(String entry) {
    List<String> result = new ArrayList<>();
    result.add("");
    for (String segment : TopicNames.segments(entry)) {
      List<String> next = new ArrayList<>();
      for (String prefix : result) {
        if (TopicNames.isAny(segment)) {
          next.add(prefix);
          next.add(join(prefix, "q"));
          next.add(join(prefix, "a/b"));
        } else if (TopicNames.isOne(segment)) {
          next.add(join(prefix, "a"));
          next.add(join(prefix, "zz"));
        } else {
          next.add(join(prefix, segment));
        }
      }
      result = next;
    }
    result.removeIf(String::isEmpty);
    return result;
  }

  private static String join(String prefix, String more) {
    return prefix.isEmpty() ? more : prefix + "/" + more;
  }

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> segment = Arbitraries.of("a", "b", "alice", "*");
    return segment
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .flatMap(
            segments ->
                Arbitraries.of(true, false)
                    .map(
                        any -> {
                          List<String> all = new ArrayList<>(segments);
                          if (any) {
                            all.add("**");
                          }
                          return String.join("/", all);
                        }));
  }

  @Provide
  Arbitrary<List<String>> topics() {
    return Arbitraries.of("a", "b", "alice", "*", "c")
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(segments -> String.join("/", segments))
        .list()
        .ofMinSize(1)
        .ofMaxSize(20);
  }
}
