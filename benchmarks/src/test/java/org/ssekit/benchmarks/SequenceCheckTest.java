package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-client check that proves no event lost or duplicated: it must be able to fail. */
class SequenceCheckTest {
  @Test
  void anUnbrokenSequencePasses() {
    SequenceCheck check = new SequenceCheck();
    check.expect(5);
    for (long seq = 5; seq <= 9; seq++) {
      assertThat(check.accept(seq)).isZero();
    }
    assertThat(check.next()).isEqualTo(10);
  }

  @Test
  void anEventReceivedTwiceIsADuplicate() {
    SequenceCheck check = new SequenceCheck();
    check.expect(1);
    check.accept(1);
    check.accept(2);
    assertThat(check.accept(2)).isEqualTo(SequenceCheck.DUPLICATE);
    assertThat(check.accept(1)).isEqualTo(SequenceCheck.DUPLICATE);
    assertThat(check.accept(3)).isZero(); // the sequence goes on where it was
  }

  @Test
  void skippedEventsAreCountedAsLost() {
    SequenceCheck check = new SequenceCheck();
    check.expect(1);
    check.accept(1);
    assertThat(check.accept(5)).isEqualTo(3); // 2, 3 and 4 never came
    assertThat(check.accept(6)).isZero();
    assertThat(check.accept(3)).isEqualTo(SequenceCheck.DUPLICATE); // too late: counted lost
  }

  @Test
  void aNewPhaseForgetsThePreviousOne() {
    SequenceCheck check = new SequenceCheck();
    check.expect(1);
    check.accept(1);
    check.expect(100);
    assertThat(check.accept(100)).isZero();
    assertThat(check.accept(1)).isEqualTo(SequenceCheck.DUPLICATE);
  }
}
