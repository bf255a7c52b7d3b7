package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.Test;
import org.ssekit.ServerSentEvent;
import org.ssekit.testkit.RawSseClient;

/**
 * What a stream costs Jetty: its response buffer is the configured one, never Jetty's default,
 * which Jetty takes from its pool (direct) on the first write and holds while the response is open.
 */
class JettyResponseBufferTest extends FixtureTest {

  @Test
  void streamsNeverTakeJettysDefaultResponseBuffer() throws Exception {
    RecordingPool pool = new RecordingPool();
    fixture = Fixture.startOnJetty(pool);
    List<RawSseClient> clients = List.of(fixture.get("/api/topics/t"), fixture.get("/servlet/t"));
    for (RawSseClient client : clients) {
      assertThat(client.awaitHeaders(TIMEOUT)).isTrue();
      assertThat(client.status()).isEqualTo(200);
    }
    fixture.awaitSubscribers("t", 2);
    fixture.hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().get();
    for (RawSseClient client : clients) {
      assertThat(client.poll(TIMEOUT).data()).isEqualTo("e1");
    }

    int jettyDefault = new HttpConfiguration().getOutputBufferSize();
    assertThat(Collections.max(pool.sizes))
        .as("largest of the buffers Jetty took: %s", pool.sizes)
        .isLessThan(jettyDefault);
  }

  /** Jetty's default pool, recording the size of every buffer that is taken from it. */
  private static final class RecordingPool extends ByteBufferPool.Wrapper {
    final Set<Integer> sizes = ConcurrentHashMap.newKeySet();

    RecordingPool() {
      super(new ArrayByteBufferPool());
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
      sizes.add(size);
      return super.acquire(size, direct);
    }
  }
}
