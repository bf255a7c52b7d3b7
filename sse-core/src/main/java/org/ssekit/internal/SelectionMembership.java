package org.ssekit.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.ssekit.Selection;

/**
 * What a subscription to a {@link Selection} of several entries needs beyond a one-topic one: its
 * selectors, parsed once, the rule that makes it receive an event once however many of its entries
 * match, and which of its exact topics are still open.
 *
 * <p><b>Exactly once:</b> the {@link SelectionIndex} reaches a subscription once per matching
 * entry; it takes the event only through the first match in a fixed order: an exact topic first,
 * then the selectors in the selection's order. Deciding that reads nothing mutable, so concurrent
 * fan-outs of different topics cannot confuse it, and it allocates nothing.
 *
 * <p><b>Thread safety:</b> the selection and selectors are immutable; the open topics are guarded
 * by the owning subscription's lock.
 */
final class SelectionMembership {
  /** The index of an exact topic's registration, before every selector's. */
  static final int EXACT = -1;

  final Selection selection;
  final String name;
  private final String[][] selectors;
  private final boolean oneEntry;
  // @GuardedBy("the subscription's lock")
  private final Set<String> openTopics;

  SelectionMembership(Selection selection) {
    this.selection = selection;
    this.name = selection.toString();
    this.selectors = new String[selection.selectors().size()][];
    int i = 0;
    for (String selector : selection.selectors()) {
      selectors[i++] = TopicNames.segments(selector);
    }
    this.oneEntry = selection.size() == 1;
    this.openTopics = new HashSet<>(selection.topics());
  }

  /** Returns the segments of each selector, in the selection's order. */
  String[][] selectors() {
    return selectors;
  }

  /**
   * Returns true if an event of {@code topic}, which the entry {@code entryIndex} ({@link #EXACT}
   * or a selector's index) matches, is delivered through that entry: it is the first that matches.
   */
  boolean deliversVia(int entryIndex, String topic) {
    if (oneEntry || entryIndex == EXACT) {
      return true;
    }
    if (selection.topics().contains(topic)) {
      return false;
    }
    for (int i = 0; i < entryIndex; i++) {
      if (TopicNames.matches(selectors[i], topic)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Notes that {@code closed} topics are closed; under the subscription's lock.
   *
   * @return true if nothing of the selection is left open: no selector, every topic closed
   */
  boolean closeTopics(Collection<String> closed) {
    openTopics.removeAll(closed);
    return selectors.length == 0 && openTopics.isEmpty();
  }
}
