package org.ssekit.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.ssekit.Selection;

/** How {@code @SseTopic} values resolve against a request's path and query parameters. */
class SelectionTemplateTest {
  private static final MultivaluedMap<String, String> NONE = new MultivaluedHashMap<>();

  private static MultivaluedMap<String, String> parameters(String... pairs) {
    MultivaluedMap<String, String> map = new MultivaluedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private static SelectionTemplate parse(String... values) {
    return SelectionTemplate.parse(values);
  }

  @Test
  void placeholdersAreReplacedByPathParameters() {
    SelectionTemplate template = parse("room-{room}/{ user }");
    assertThat(template.names()).containsExactly("room", "user");
    assertThat(template.resolve(parameters("room", "42", "user", "ann"), NONE))
        .isEqualTo(Selection.topic("room-42/ann"));
  }

  @Test
  void aTemplateWithoutPlaceholdersIsItsOwnTopic() {
    assertThat(parse("news").resolve(NONE, NONE)).isEqualTo(Selection.topic("news"));
  }

  @Test
  void oneTopicFromPathParametersIsNamedLiterallyAsBefore() {
    // Names that no selection may hold (an empty segment, a star, CR) still name one topic.
    SelectionTemplate template = parse("room-{room}");
    assertThat(template.resolve(parameters("room", "a//b*"), NONE))
        .isEqualTo(Selection.topic("room-a//b*"));
    assertThat(template.resolve(parameters("room", "a\rb"), NONE).isSingleTopic()).isTrue();
  }

  @Test
  void unbalancedBracesAreRejected() {
    assertThatThrownBy(() -> parse("room-{room"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unbalanced '{' at 5 in topic template: room-{room");
    assertThatThrownBy(() -> parse("room}"))
        .hasMessage("unbalanced '}' at 4 in topic template: room}");
    assertThatThrownBy(() -> parse("a{}"))
        .hasMessage("empty placeholder at 1 in topic template: a{}");
    assertThatThrownBy(() -> parse("")).hasMessage("topic template is empty");
    assertThatThrownBy(() -> parse()).hasMessage("@SseTopic names no topic: give at least one");
  }

  @Test
  void aMissingParameterOrAnInvalidTopicIsRejected() {
    SelectionTemplate template = parse("{room}");
    assertThatThrownBy(() -> template.resolve(NONE, NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no value for {room} in @SseTopic \"{room}\": neither a path nor a query parameter");
    assertThatThrownBy(() -> template.resolve(parameters("room", ""), NONE))
        .hasMessage("topic must be 1-1024 chars: length 0");
    assertThatThrownBy(() -> template.resolve(parameters("room", "x\uD800"), NONE))
        .hasMessage("unpaired surrogate 0xd800 at 1 in topic: it cannot be encoded as UTF-8");
  }

  @Test
  void aRepeatedQueryParameterMakesOneEntryPerValue() {
    SelectionTemplate template = parse("rooms/{room}", "users/{user}/**");
    assertThat(
            template.resolve(
                parameters("user", "42"), parameters("room", "a", "room", "b", "room", "a")))
        .isEqualTo(Selection.of("rooms/a", "rooms/b", "users/42/**"));
  }

  @Test
  void aPathParameterWinsOverAQueryParameterOfTheSameName() {
    assertThat(
            parse("rooms/{room}", "news").resolve(parameters("room", "p"), parameters("room", "q")))
        .isEqualTo(Selection.of("rooms/p", "news"));
  }

  @Test
  void severalRepeatedPlaceholdersMakeEveryCombinationFirstSlowest() {
    assertThat(
            parse("{a}/{b}", "x").resolve(NONE, parameters("a", "1", "a", "2", "b", "p", "b", "q")))
        .isEqualTo(Selection.of("1/p", "1/q", "2/p", "2/q", "x"));
  }

  @Test
  void aQueryPlaceholderOfOneValueIsOneTopic() {
    Selection selection = parse("rooms/{room}").resolve(NONE, parameters("room", "a"));
    assertThat(selection.isSingleTopic()).isTrue();
    assertThat(selection).isEqualTo(Selection.topic("rooms/a"));
  }

  @Test
  void valuesNeverMakeWildcards() {
    SelectionTemplate template = parse("rooms/{room}");
    assertThatThrownBy(() -> template.resolve(NONE, parameters("room", "a", "room", "*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "{room} value has * at 0: wildcards come from the @SseTopic template, never from the"
                + " request");
    assertThatThrownBy(() -> parse("rooms/{room}", "x").resolve(parameters("room", "**"), NONE))
        .hasMessageStartingWith("{room} value has * at 0");
  }

  @Test
  void valuesThatBreakTheSelectionRulesAreRejectedNamingTheRule() {
    SelectionTemplate template = parse("rooms/{room}", "news");
    assertThatThrownBy(() -> template.resolve(NONE, parameters("room", "a\r\nX: y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unexpected char 0x0d at 7 in selection entry 0");
    assertThatThrownBy(() -> template.resolve(NONE, parameters("room", "")))
        .hasMessage("selection entry 0 has an empty segment at 6: paths are like rooms/lobby");
    assertThatThrownBy(() -> template.resolve(NONE, NONE))
        .hasMessage(
            "no value for {room} in @SseTopic \"rooms/{room}\": neither a path nor a query"
                + " parameter");
  }

  @Test
  void moreThan1024EntriesAreRejectedBeforeAllAreBuilt() {
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    query.put("a", Collections.nCopies(2000, "v"));
    query.put("b", Collections.nCopies(2000, "w"));
    assertThatThrownBy(() -> parse("{a}/{b}", "x").resolve(NONE, query))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("@SseTopic resolves to more than 1024 entries at \"{a}/{b}\"");
  }

  @Test
  void aSelectionTemplateThatCanNeverBeValidFailsItsCheck() {
    assertThatThrownBy(() -> parse("rooms//{room}", "news").checkShape())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty segment");
    assertThatThrownBy(() -> parse("**/{room}").checkShape())
        .hasMessageContaining("must come last");
    parse("rooms/{room}", "users/{user}/**").checkShape();
    parse("room-{room}//x").checkShape(); // one topic, named literally: may be anything
  }
}
