package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ssekit.Selection;
import org.ssekit.SseListener;

/** What an {@link Admission} says about a topic, a selection and a refusal. */
class AdmissionTest {
  @Test
  void aTopicIsASelectionOfThatOneTopic() {
    Admission admission = Admission.accept("rooms/*");
    assertThat(admission.isAccepted()).isTrue();
    assertThat(admission.topic()).isEqualTo("rooms/*");
    assertThat(admission.selection()).isEqualTo(Selection.topic("rooms/*"));
    assertThat(admission.selection().isSingleTopic()).as("taken literally").isTrue();
    assertThat(admission.listener()).isSameAs(SseListener.NONE);
    assertThat(admission.status()).isEqualTo(200);
  }

  @Test
  void aSelectionOfOneTopicStillHasItsTopic() {
    Admission admission = Admission.accept(Selection.of("rooms/a"));
    assertThat(admission.topic()).isEqualTo("rooms/a");
    assertThat(admission.selection()).isEqualTo(Selection.of("rooms/a"));
  }

  @Test
  void aSelectionOfSeveralEntriesHasNoOneTopic() {
    Selection selection = Selection.of("rooms/a", "users/42/**");
    Admission admission = Admission.accept(selection, SseListener.NONE);
    assertThat(admission.isAccepted()).isTrue();
    assertThat(admission.topic()).isNull();
    assertThat(admission.selection()).isSameAs(selection);
    assertThat(admission).hasToString("Admission{accept rooms/a, users/42/**}");
  }

  @Test
  void aRefusalHasNeitherTopicNorSelection() {
    Admission admission = Admission.refuse(403, "no");
    assertThat(admission.isAccepted()).isFalse();
    assertThat(admission.topic()).isNull();
    assertThat(admission.selection()).isNull();
    assertThat(admission.listener()).isNull();
  }

  @Test
  void anInvalidTopicNameIsCheckedWhenItsSelectionIsAskedFor() {
    Admission admission = Admission.accept("");
    assertThat(admission.topic()).isEmpty();
    assertThatThrownBy(admission::selection).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullsAreRefusedByName() {
    assertThatThrownBy(() -> Admission.accept((Selection) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("selection");
    assertThatThrownBy(() -> Admission.accept(Selection.of("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
  }
}
