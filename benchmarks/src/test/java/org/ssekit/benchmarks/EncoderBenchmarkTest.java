package org.ssekit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * The encoder benchmark compares like with like: both sides produce the same event for a browser.
 */
class EncoderBenchmarkTest {
  @ParameterizedTest
  @ValueSource(strings = {"short", "multiline", "json4k"})
  void ssekitAndJerseyEncodeTheSameEvent(String payload) throws Exception {
    EncoderBenchmark benchmark = new EncoderBenchmark();
    benchmark.payload = payload;
    benchmark.setUp();
    try {
      List<ReceivedEvent> ours = parse(benchmark.ssekit());
      List<ReceivedEvent> jerseys = parse(benchmark.jerseyBytes());

      assertThat(ours).hasSize(1).isEqualTo(jerseys);
      assertThat(ours.get(0).data()).isEqualTo(EncoderBenchmark.data(payload));
      assertThat(ours.get(0).type()).isEqualTo("update");
      assertThat(ours.get(0).lastEventId()).isEqualTo("12345");
    } finally {
      benchmark.tearDown();
    }
  }

  private static List<ReceivedEvent> parse(byte[] bytes) {
    List<ReceivedEvent> events = new ArrayList<>();
    EventStreamParser parser = new EventStreamParser(events::add);
    parser.feed(bytes, 0, bytes.length);
    return events;
  }
}
