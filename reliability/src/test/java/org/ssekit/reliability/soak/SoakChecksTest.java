package org.ssekit.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.reliability.ClientLedger;
import org.ssekit.reliability.PublishBook;

/**
 * The soak's checks can fail: a resumed stream that skipped an event, got one twice or got one of
 * another user's topic is counted as lost, duplicated or forbidden, from the window of publishes
 * between its first and last event ({@link PublishBook#between}); what lies outside the window is
 * not asked for.
 */
class SoakChecksTest {
  private static final String LOBBY = SoakCycles.LOBBY;
  private static final String FEED = SoakCycles.feed("u1");

  private final PublishBook book = new PublishBook();

  SoakChecksTest() {
    for (long seq = 1; seq <= 10; seq++) {
      String topic = seq % 2 == 0 ? LOBBY : FEED;
      book.record("p:" + seq, topic, 1, null);
    }
  }

  private static ClientLedger ledger() {
    return new ClientLedger(
        "u1",
        Set.of(LOBBY, FEED)::contains,
        t -> t.startsWith("users/u1/") || t.startsWith("rooms/"));
  }

  private static void receive(ClientLedger ledger, String topic, long... seqs) {
    for (long seq : seqs) {
      ledger.add(
          new ReceivedEvent("message", PublishBook.data("p:" + seq, topic, 0), "id-" + seq), 0);
    }
  }

  private SoakTally tally(ClientLedger ledger) {
    SoakTally tally = new SoakTally();
    List<String> findings =
        ledger.check(book.between("p", ledger.firstSeq("p"), ledger.lastSeq("p")));
    findings.forEach(tally::ledgerFinding);
    return tally;
  }

  @Test
  void aStreamThatCarriesOnExactlyHasNoFinding() {
    ClientLedger ledger = ledger();
    receive(ledger, FEED, 3);
    receive(ledger, LOBBY, 4);
    receive(ledger, FEED, 5);
    receive(ledger, LOBBY, 6);
    assertThat(tally(ledger).allFindings()).isZero();
  }

  @Test
  void anEventSkippedAtTheResumeIsLost() {
    ClientLedger ledger = ledger();
    receive(ledger, FEED, 3);
    receive(ledger, LOBBY, 4);
    // Resumed after 4, but 5 (the feed's) never came.
    receive(ledger, LOBBY, 6);
    SoakTally tally = tally(ledger);
    assertThat(tally.lost.sum()).isEqualTo(1);
    assertThat(tally.findings()).singleElement().asString().contains("p:5");
  }

  @Test
  void anEventReplayedTwiceIsDuplicated() {
    ClientLedger ledger = ledger();
    receive(ledger, LOBBY, 2);
    receive(ledger, FEED, 3);
    receive(ledger, FEED, 3);
    receive(ledger, LOBBY, 4);
    SoakTally tally = tally(ledger);
    assertThat(tally.duplicated.sum()).isEqualTo(1);
  }

  @Test
  void anEventOfAnotherUsersTopicIsForbidden() {
    ClientLedger ledger = ledger();
    receive(ledger, LOBBY, 2);
    receive(ledger, SoakCycles.feed("u2"), 3);
    receive(ledger, LOBBY, 4);
    assertThat(tally(ledger).forbiddenDelivered.sum()).isEqualTo(1);
  }
}
