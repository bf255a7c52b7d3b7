package org.ssekit.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

class TopicTemplateTest {
  private static MultivaluedMap<String, String> parameters(String... pairs) {
    MultivaluedMap<String, String> map = new MultivaluedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void placeholdersAreReplacedByPathParameters() {
    TopicTemplate template = TopicTemplate.parse("room-{room}/{ user }");
    assertThat(template.names()).containsExactly("room", "user");
    assertThat(template.resolve(parameters("room", "42", "user", "ann"))).isEqualTo("room-42/ann");
  }

  @Test
  void aTemplateWithoutPlaceholdersIsItsOwnTopic() {
    assertThat(TopicTemplate.parse("news").resolve(parameters())).isEqualTo("news");
  }

  @Test
  void unbalancedBracesAreRejected() {
    assertThatThrownBy(() -> TopicTemplate.parse("room-{room"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unbalanced '{' at 5 in topic template: room-{room");
    assertThatThrownBy(() -> TopicTemplate.parse("room}"))
        .hasMessage("unbalanced '}' at 4 in topic template: room}");
    assertThatThrownBy(() -> TopicTemplate.parse("a{}"))
        .hasMessage("empty placeholder at 1 in topic template: a{}");
    assertThatThrownBy(() -> TopicTemplate.parse("")).hasMessage("topic template is empty");
  }

  @Test
  void aMissingParameterOrAnInvalidTopicIsRejected() {
    TopicTemplate template = TopicTemplate.parse("{room}");
    assertThatThrownBy(() -> template.resolve(parameters()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no path parameter room for topic template: {room}");
    assertThatThrownBy(() -> template.resolve(parameters("room", "")))
        .hasMessage("topic must be 1-1024 chars: length 0");
    assertThatThrownBy(() -> template.resolve(parameters("room", "x\uD800")))
        .hasMessage("unpaired surrogate 0xd800 at 1 in topic: it cannot be encoded as UTF-8");
  }
}
