package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.ssekit.ServerSentEvent;
import org.ssekit.internal.EventStreamEncoder;
import org.ssekit.testkit.RawSseClient;

/**
 * The check that streams of every path (the servlet adapter, a broadcaster's sink, an {@code
 * SseTopic} method, {@code SseTopics.subscribe}) are the same bytes: each client's body is exactly
 * the core's encoding of the expected events, in order, and their heads declare the same type.
 */
final class WireIdentity {
  private WireIdentity() {}

  /** Returns the bytes a stream of {@code events} (with their ids) is made of. */
  static byte[] encoded(List<ServerSentEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(event -> out.writeBytes(EventStreamEncoder.encode(event)));
    return out.toByteArray();
  }

  /** Waits until every client received as many bytes as {@code events} make, then compares. */
  static void assertEveryClientReceivedExactly(
      List<RawSseClient> clients, List<ServerSentEvent> events, Duration timeout) {
    byte[] expected = encoded(events);
    await()
        .atMost(timeout)
        .until(() -> clients.stream().allMatch(c -> c.bodyLength() >= expected.length));
    for (RawSseClient client : clients) {
      assertThat(client.bodyBytes()).isEqualTo(expected);
      assertThat(client.header("Content-Type")).isEqualTo(clients.get(0).header("Content-Type"));
    }
  }
}
