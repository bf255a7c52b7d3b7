package org.ssekit.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.ssekit.Selection;

public class SinkRegistryTest {
  /**
   * Like Jersey's sinks, every instance equals every other (GenericType.equals compares the type).
   */
  public static final class EqualSink extends GenericType<OutboundSseEvent>
      implements SseEventSink {
    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }

  private final SinkRegistry registry = new SinkRegistry();

  @Test
  void aSinkRegisteredBeforeJerseyWritesItIsTakenOverThen() {
    SinkTarget target = new SinkTarget(new EqualSink(), Selection.topic("t"), null);
    assertThat(registry.register(target)).isEqualTo(SinkRegistry.Registration.PENDING);
    assertThat(registry.written(target.sink, "id-1", false)).isSameAs(target);
  }

  @Test
  void sinksAreTrackedByIdentityNotByEquals() {
    EqualSink first = new EqualSink();
    EqualSink second = new EqualSink();
    assertThat(first).isEqualTo(second);
    SinkTarget target = new SinkTarget(first, Selection.topic("t"), null);
    registry.register(target);
    assertThat(registry.written(second, null, false)).isNull();
    assertThat(registry.written(first, null, false)).isSameAs(target);
  }

  @Test
  void aSinkRegisteredAfterJerseyWroteItIsSubscribedAtOnceWithItsLastEventId() {
    EqualSink sink = new EqualSink();
    assertThat(registry.written(sink, "id-9", false)).isNull();
    SinkTarget target = new SinkTarget(sink, Selection.topic("t"), null);
    assertThat(registry.register(target)).isEqualTo(SinkRegistry.Registration.SUBSCRIBE_NOW);
    assertThat(target.lastEventId()).isEqualTo("id-9");
  }

  @Test
  void aSinkCanBeRegisteredOnce() {
    EqualSink sink = new EqualSink();
    registry.register(new SinkTarget(sink, Selection.topic("t"), null));
    assertThatThrownBy(() -> registry.register(new SinkTarget(sink, Selection.topic("u"), null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "sink already registered: an SseEventSink can stream one topic, once");
    EqualSink annotated = new EqualSink();
    registry.written(annotated, null, true);
    assertThatThrownBy(
            () -> registry.register(new SinkTarget(annotated, Selection.topic("t"), null)))
        .hasMessageEndingWith("an @SseTopic stream");
  }
}
