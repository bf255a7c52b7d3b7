package org.ssekit.reliability.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the cycles of one soak run did and found: cycles per kind, streams resumed with {@code
 * Last-Event-ID}, events checked, and every finding by class (lost, duplicated, forbidden events
 * delivered, unexpected gap notices, other stream faults, cycles that could not complete). Keeps
 * the first findings' descriptions for the failure message.
 *
 * <p><b>Thread safety:</b> thread-safe: the cycles' threads count into it at once.
 */
final class SoakTally {
  private static final int KEPT = 20;

  private final Map<SoakCycles.Kind, LongAdder> cycles = new EnumMap<>(SoakCycles.Kind.class);
  final LongAdder resumed = new LongAdder();
  final LongAdder eventsChecked = new LongAdder();
  final LongAdder bigEventsResent = new LongAdder();
  final LongAdder forbiddenRefused = new LongAdder();
  final LongAdder lost = new LongAdder();
  final LongAdder duplicated = new LongAdder();
  final LongAdder forbiddenDelivered = new LongAdder();
  final LongAdder gapNotices = new LongAdder();
  final LongAdder otherFaults = new LongAdder();
  final LongAdder failedCycles = new LongAdder();
  private final AtomicInteger kept = new AtomicInteger();
  private final Queue<String> findings = new ConcurrentLinkedQueue<>();

  SoakTally() {
    for (SoakCycles.Kind kind : SoakCycles.Kind.values()) {
      cycles.put(kind, new LongAdder());
    }
  }

  /** Counts a completed cycle of {@code kind}. */
  void cycle(SoakCycles.Kind kind) {
    cycles.get(kind).increment();
  }

  /** Returns the completed cycles of {@code kind}. */
  long cycles(SoakCycles.Kind kind) {
    return cycles.get(kind).sum();
  }

  /** Returns the completed cycles of every kind. */
  long cycles() {
    return cycles.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Counts one of {@code ClientLedger}'s findings by its wording: a missing event, a duplicate, an
   * event of a forbidden topic, or another fault (reordering, an event outside the selection).
   */
  void ledgerFinding(String finding) {
    if (finding.contains("neither delivered nor covered")) {
      lost.increment();
    } else if (finding.contains("duplicate")) {
      duplicated.increment();
    } else if (finding.contains("forbidden topic")) {
      forbiddenDelivered.increment();
    } else {
      otherFaults.increment();
    }
    keep(finding);
  }

  /** Counts {@code count} events of a forbidden topic delivered, described by {@code finding}. */
  void forbiddenDelivered(int count, String finding) {
    forbiddenDelivered.add(count);
    keep(finding);
  }

  /** Counts a stream fault that is none of the classes above. */
  void otherFault(String finding) {
    otherFaults.increment();
    keep(finding);
  }

  /** Counts a cycle that could not complete (no answer, wrong status, no event in time). */
  void failedCycle(String finding) {
    failedCycles.increment();
    keep(finding);
  }

  private void keep(String finding) {
    if (kept.incrementAndGet() <= KEPT) {
      findings.add(finding);
    }
  }

  /** Returns the first findings' descriptions. */
  List<String> findings() {
    return new ArrayList<>(findings);
  }

  /** Returns every finding counted, of any class. */
  long allFindings() {
    return lost.sum()
        + duplicated.sum()
        + forbiddenDelivered.sum()
        + gapNotices.sum()
        + otherFaults.sum()
        + failedCycles.sum();
  }
}
