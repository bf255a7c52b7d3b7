package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ssekit.Selection;

/** The multi-topic scenarios' spread of topics over clients and of events over topics. */
class TopicSpreadTest {
  @Test
  void everyTopicHasClientsTimesEightOverAHundredSubscribersWhenClientsAreAMultipleOf25() {
    int clients = 250;
    int[] subscribers = new int[TopicSpread.TOPICS];
    for (int i = 0; i < clients; i++) {
      int first = TopicSpread.firstTopic(i);
      for (int topic = 0; topic < TopicSpread.TOPICS; topic++) {
        if (TopicSpread.slot(first, topic) >= 0) {
          subscribers[topic]++;
        }
      }
    }
    assertThat(subscribers).containsOnly(clients * TopicSpread.PER_CLIENT / TopicSpread.TOPICS);
  }

  @Test
  void aClientsRequestNamesExactlyTheTopicsItsSlotsAccept() {
    int first = TopicSpread.firstTopic(12); // 96: wraps to 0..3
    assertThat(first).isEqualTo(96);
    String target = TopicSpread.target(first);
    assertThat(target)
        .isEqualTo("/multi?topic=96&topic=97&topic=98&topic=99&topic=0&topic=1&topic=2&topic=3");
    String[] numbers = target.substring(target.indexOf('?') + 1).replace("topic=", "").split("&");
    Selection selection = TopicSpread.selection(numbers);
    Set<Integer> slots = new HashSet<>();
    for (int topic = 0; topic < TopicSpread.TOPICS; topic++) {
      int slot = TopicSpread.slot(first, topic);
      assertThat(selection.matches(TopicSpread.name(topic)))
          .as("topic " + topic)
          .isEqualTo(slot >= 0);
      if (slot >= 0) {
        slots.add(slot);
      }
    }
    assertThat(slots).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void eventsGoToTheirSequenceNumberModuloAHundred() {
    assertThat(TopicSpread.topicOf(0)).isZero();
    assertThat(TopicSpread.topicOf(1234)).isEqualTo(34);
    assertThat(TopicSpread.name(34)).isEqualTo("multi/34");
  }

  @Test
  void aRequestWithoutTopicsOrWithABadNumberIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> TopicSpread.selection(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic missing: give ?topic=N, N in 0-99");
    assertThatThrownBy(() -> TopicSpread.selection(new String[] {"3", "100"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic not a topic number 0-99: 100");
    assertThatThrownBy(() -> TopicSpread.selection(new String[] {"*"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic not a topic number 0-99: *");
    assertThatThrownBy(() -> TopicSpread.selection(new String[] {"1\r\n"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic not a topic number 0-99: 1\\x0d\\x0a");
  }
}
