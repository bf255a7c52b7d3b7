package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The selection rules, each with its message, and the hub's limit on selections. */
class SelectionTest {
  private final OpenHubs hubs = new OpenHubs();

  @AfterEach
  void tearDown() {
    hubs.close();
  }

  @Test
  void entriesWithAWildcardSegmentAreSelectorsTheOthersTopicsInTheirOrder() {
    Selection selection =
        Selection.of("rooms/lobby", "users/42/**", "rooms/*", "news", "rooms/lobby", "*");

    assertThat(selection.topics()).containsExactly("rooms/lobby", "news");
    assertThat(selection.selectors()).containsExactly("users/42/**", "rooms/*", "*");
    assertThat(selection.size()).isEqualTo(5);
    assertThat(selection.isSingleTopic()).isFalse();
    assertThat(selection).hasToString("rooms/lobby, news, users/42/**, rooms/*, *");
  }

  @Test
  void selectionsAreValuesAndTheirSetsCannotBeChanged() {
    Selection selection = Selection.of("a", "b/*");

    assertThat(selection).isEqualTo(Selection.of(List.of("b/*", "a"))).isNotEqualTo("a");
    assertThat(selection.hashCode()).isEqualTo(Selection.of("b/*", "a", "a").hashCode());
    assertThat(selection).isNotEqualTo(Selection.of("a"));
    assertThatThrownBy(() -> selection.topics().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> selection.selectors().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "rooms/*, rooms/lobby, true",
    "rooms/*, rooms, false",
    "rooms/*, rooms/a/b, false",
    "rooms/*, roomsx/a, false",
    "*/lobby, rooms/lobby, true",
    "*/lobby, rooms/kitchen, false",
    "*, news, true",
    "*, rooms/lobby, false",
    "**, rooms/lobby/x, true",
    "**, news, true",
    "users/42/**, users/42, true",
    "users/42/**, users/42/notifications, true",
    "users/42/**, users/42/a/b/c, true",
    "users/42/**, users/420, false",
    "users/42/**, users, false",
    "users/*/**, users/7/orders/1, true",
    "users/*/**, users, false",
    "a/*/c, a/b/c, true",
    "a/*/c, a/b/d, false",
    "a/*/c, a//c, true",
    "rooms/lobby, rooms/lobby, true",
    "rooms/lobby, rooms/lobby/x, false",
  })
  void selectorsMatchBySegment(String entry, String topic, boolean matches) {
    assertThat(Selection.of(entry, "unrelated").matches(topic)).isEqualTo(matches);
  }

  @Test
  void aSelectionOfOneTopicTakesAnyTopicNameLiterally() {
    for (String legacy : List.of("a//b", "/a", "a/", "a*", "rooms/*", "line\nbreak")) {
      Selection selection = Selection.topic(legacy);
      assertThat(selection.isSingleTopic()).isTrue();
      assertThat(selection.topics()).containsExactly(legacy);
      assertThat(selection.selectors()).isEmpty();
      assertThat(selection.matches(legacy)).isTrue();
    }
    assertThat(Selection.topic("rooms/*").matches("rooms/lobby")).isFalse();
    assertThat(Selection.of("news")).isEqualTo(Selection.topic("news"));
    assertThatThrownBy(() -> Selection.topic(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topic must be 1-1024 chars: length 0");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| selection entry 1 must be 1-1024 chars: length 0",
        "a/b\\nc| unexpected char 0x0a at 3 in selection entry 1: CR and LF are not allowed",
        "a\\rb| unexpected char 0x0d at 1 in selection entry 1: CR and LF are not allowed",
        "/a| selection entry 1 has an empty segment at 0: paths are like rooms/lobby",
        "a/| selection entry 1 has an empty segment at 2: paths are like rooms/lobby",
        "a//b| selection entry 1 has an empty segment at 2: paths are like rooms/lobby",
        "a*| selection entry 1 has * inside a segment at 1: * and ** are whole segments",
        "rooms/*x| selection entry 1 has * inside a segment at 6: * and ** are whole segments",
        "a/***| selection entry 1 has * inside a segment at 2: * and ** are whole segments",
        "a/**/b| selection entry 1 has ** before its last segment at 2: ** must come last",
        "**/b| selection entry 1 has ** before its last segment at 0: ** must come last",
      })
  void badEntriesAreRefusedNamingTheEntryTheRuleAndTheIndex(String entry, String message) {
    String bad = entry.replace("\\n", "\n").replace("\\r", "\r");

    assertThatThrownBy(() -> Selection.of("ok", bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message.strip());
  }

  @Test
  void otherBadSelectionsAreRefusedWithTheirRule() {
    assertThatThrownBy(() -> Selection.of("a", "\ud800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unpaired surrogate 0xd800 at 0 in selection entry 1: it cannot be encoded as UTF-8");
    assertThatThrownBy(() -> Selection.of("x".repeat(1025)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selection entry 0 must be 1-1024 chars: length 1025");
    assertThat(Selection.of("x".repeat(1024)).topics()).hasSize(1);
    assertThatThrownBy(() -> Selection.of())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selection must hold 1-1024 entries: 0");
    List<String> tenThousand = IntStream.range(0, 10_000).mapToObj(i -> "t/" + i).toList();
    assertThatThrownBy(() -> Selection.of(tenThousand))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selection must hold 1-1024 entries: 10000");
    assertThatThrownBy(() -> Selection.of(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("selection entry 1");
    assertThatThrownBy(() -> Selection.of((String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("entries");
    assertThatThrownBy(() -> Selection.of("a").matches(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("topic");
  }

  @Test
  void theHubRefusesSelectionsLargerThanItsLimitAndOtherStreamsGoOn() throws Exception {
    SseHub hub = hubs.build();
    assertThat(hub.config().maxSelectionSize()).isEqualTo(64);
    RecordingTransport other = new RecordingTransport(RecordingTransport.Mode.SYNC);
    hub.subscribe(Selection.of("a", "b/*"), null, other, SseListener.NONE);
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      entries.add("rooms/" + i);
    }
    RecordingTransport refused = new RecordingTransport(RecordingTransport.Mode.SYNC);

    assertThatThrownBy(() -> hub.subscribe(Selection.of(entries), null, refused, SseListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selection has more entries than maxSelectionSize=64: 65");
    assertThat(hub.subscribe(Selection.of(entries.subList(0, 64)), null, refused, SseListener.NONE))
        .isNotNull();
    assertThat(hub.stats().subscribers()).isEqualTo(2);
    hub.publish("b/1", ServerSentEvent.of("still here")).toCompletableFuture().join();
    org.awaitility.Awaitility.await().until(() -> other.data().contains("still here"));
    assertThat(refused.writeCount()).isLessThanOrEqualTo(1);
  }

  @Test
  void theLimitIsASettingOfTheBuilder() {
    SseHub.Builder builder = SseHub.builder().maxSelectionSize(2);
    assertThat(builder.toConfig().maxSelectionSize()).isEqualTo(2);
    assertThat(builder.toConfig().toBuilder().toConfig().maxSelectionSize()).isEqualTo(2);
    assertThatThrownBy(() -> builder.maxSelectionSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSelectionSize must be 1-1024: 0");
    assertThatThrownBy(() -> builder.maxSelectionSize(1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSelectionSize must be 1-1024: 1025");
    SseHub hub = hubs.build(hubs.builder().maxSelectionSize(2));
    assertThatThrownBy(
            () ->
                hub.subscribe(
                    Selection.of("a", "b", "c"),
                    null,
                    new RecordingTransport(RecordingTransport.Mode.SYNC),
                    SseListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("selection has more entries than maxSelectionSize=2: 3");
  }
}
