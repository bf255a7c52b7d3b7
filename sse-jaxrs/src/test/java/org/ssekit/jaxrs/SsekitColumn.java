package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import java.time.Duration;
import org.ssekit.testkit.RawSseClient;

/**
 * The ssekit column of the stock comparisons ({@code StockJerseyComparisonTest}, and {@code
 * StockRestEasyComparisonTest} in sse-jaxrs-resteasy): what ssekit does in each row, whichever
 * stock implementation the row compares it with.
 */
final class SsekitColumn {
  private static final Duration TIMEOUT = FixtureTest.TIMEOUT;

  private SsekitColumn() {}

  /** The stream's headers: no caching, no proxy buffering, UTF-8. */
  static void assertStreamHeaders(RawSseClient ssekit) throws InterruptedException {
    assertThat(ssekit.awaitHeaders(TIMEOUT)).isTrue();
    assertThat(ssekit.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(ssekit.header("X-Accel-Buffering")).isEqualTo("no");
    assertThat(ssekit.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
  }

  /** The client receives the events of {@code data}, in order: the replay, then live ones. */
  static void assertReceives(RawSseClient ssekit, String... data) throws InterruptedException {
    for (String expected : data) {
      assertThat(ssekit.poll(TIMEOUT).data()).as("ssekit: replay, then live").isEqualTo(expected);
    }
  }

  /**
   * The broadcaster refuses an LF in the name ({@code "a\n..."}) and a CR in the id ({@code
   * "1\r..."}), naming the character and its index.
   */
  static void assertRefusesLineBreaks(
      SseBroadcaster broadcaster, OutboundSseEvent lfInName, OutboundSseEvent crInId) {
    assertThatThrownBy(() -> broadcaster.broadcast(lfInName))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0a at 1 in event: CR and LF are not allowed");
    assertThatThrownBy(() -> broadcaster.broadcast(crInId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected char 0x0d at 1 in id: CR and LF are not allowed");
  }
}
