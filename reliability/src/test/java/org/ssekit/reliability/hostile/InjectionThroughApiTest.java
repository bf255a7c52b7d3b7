package org.ssekit.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorization;
import org.ssekit.Cors;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.auth.jwt.JwtAuthorizer;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.internal.EventStreamEncoder;
import org.ssekit.reliability.Scale;

/**
 * CR, LF and NUL injection through every public entry whose value reaches a response's head or an
 * event's framing: each refuses the value with an {@link IllegalArgumentException} naming the field
 * (a refused build). Event data and comments may hold line breaks by design: they are split into
 * {@code data:} and comment lines, so the check there is that no injected text ever becomes a field
 * of its own. Values are generated (seeded: the run's seed is printed).
 */
class InjectionThroughApiTest {
  private static final String[] BREAKS = {"\r", "\n", "\r\n", "\u0000"};

  private final SplittableRandom random = new SplittableRandom(HostileSeed.forTest("injection"));
  private final int count = Scale.current().pick(300, 5000);

  /** A printable value with CR, LF, CRLF or NUL (if {@code nul}) somewhere in it. */
  private String injected(boolean nul) {
    String text = Garbage.printable(random, random.nextInt(0, 40));
    String bad = BREAKS[random.nextInt(nul ? 4 : 3)];
    int at = random.nextInt(text.length() + 1);
    return text.substring(0, at) + bad + "data: injected" + text.substring(at);
  }

  private void refuses(String field, boolean nul, Consumer<String> entry) {
    for (int i = 0; i < count; i++) {
      String value = injected(nul);
      assertThatThrownBy(() -> entry.accept(value))
          .as("%s of %s", field, Garbage.percentEncoded(value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(field);
    }
  }

  @Test
  void eventIdsAndNamesRefuseLineBreaksAndIdsNul() {
    refuses("in id", true, v -> ServerSentEvent.builder().id(v));
    refuses("in event", false, v -> ServerSentEvent.builder().event(v));
    assertThatThrownBy(() -> ServerSentEvent.builder().retry(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry");
  }

  @Test
  void selectionEntriesRefuseLineBreaks() {
    refuses("selection entry", false, v -> Selection.of("rooms/a", v));
  }

  @Test
  void authorizationChallengesAndReasonsRefuseLineBreaksAndNul() {
    refuses("challenge", true, v -> Authorization.unauthenticated(v, "log in"));
    refuses("reason", true, v -> Authorization.unauthenticated("Bearer", v));
    refuses("reason", true, Authorization::forbidden);
    refuses("challenge", true, v -> PrincipalAuthorizer.builder().challenge(v));
  }

  @Test
  void corsOriginsAndHeadersRefuseLineBreaksAndNul() {
    refuses("origin", true, v -> Cors.builder().allowOrigin("https://" + v.replace("/", "")));
    refuses("header", true, v -> Cors.builder().allowHeaders(v));
  }

  @Test
  void corsOriginsRefuseEveryControlChar() {
    for (char c = 0; c < 0x20; c++) {
      String origin = "https://a" + c + "b";
      assertThatThrownBy(() -> Cors.builder().allowOrigin(origin))
          .as("origin with 0x%02x", (int) c)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("origin");
    }
    assertThatThrownBy(() -> Cors.builder().allowOrigin("https://a\u007fb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwtRealmCookieAndParameterNamesRefuseLineBreaksAndNul() {
    refuses("realm", true, v -> JwtAuthorizer.builder().realm(v));
    refuses("cookieName", true, v -> JwtAuthorizer.builder().cookieName(v));
    refuses("queryParameter", true, v -> JwtAuthorizer.builder().queryParameter(v));
  }

  @Test
  void dataAndCommentsWithLineBreaksNeverBecomeFieldsOfTheirOwn() {
    for (int i = 0; i < count; i++) {
      String data = injected(false) + "\nid: injected\nevent: injected\nretry: 1";
      String comment = injected(false) + "\ndata: from a comment";
      ServerSentEvent event =
          ServerSentEvent.builder().id("7").event("news").comment(comment).data(data).build();
      List<ReceivedEvent> events = new ArrayList<>();
      List<Long> retries = new ArrayList<>();
      EventStreamParser parser =
          new EventStreamParser(
              new EventStreamParser.Handler() {
                @Override
                public void onEvent(ReceivedEvent received) {
                  events.add(received);
                }

                @Override
                public void onRetry(long retryMillis) {
                  retries.add(retryMillis);
                }
              });
      byte[] bytes = EventStreamEncoder.encode(event);
      parser.feed(bytes, 0, bytes.length);
      assertThat(events).as("events of %s", Garbage.percentEncoded(data)).hasSize(1);
      assertThat(events.get(0).data()).isEqualTo(data.replace("\r\n", "\n").replace('\r', '\n'));
      assertThat(events.get(0).lastEventId()).isEqualTo("7");
      assertThat(events.get(0).type()).isEqualTo("news");
      assertThat(retries).isEmpty();
    }
  }
}
