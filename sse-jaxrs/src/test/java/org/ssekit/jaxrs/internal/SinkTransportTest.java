package org.ssekit.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.ssekit.ClientGoneException;
import org.ssekit.CloseReason;
import org.ssekit.RefusalAnswer;
import org.ssekit.Selection;
import org.ssekit.WriteCallback;

/** The write path through {@code SseEventSink.send}, driven by hand, task by task. */
class SinkTransportTest {
  private final List<Runnable> poolTasks = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** A callback that records its completion and the ssekit monitors held when it ran. */
  private final WriteCallback callback =
      new WriteCallback() {
        @Override
        public void succeeded() {
          events.add("succeeded, holding " + ssekitMonitorsHeld());
        }

        @Override
        public void failed(Throwable cause) {
          events.add("failed: " + cause.getMessage() + ", holding " + ssekitMonitorsHeld());
          assertThat(cause).isInstanceOf(ClientGoneException.class);
        }
      };

  private SinkTransport newTransport(SinkTarget target) {
    return new SinkTransport(
        target, poolTasks::add, RefusalAnswer.RETRY_STREAM, Duration.ofSeconds(5));
  }

  @Test
  void aWriteClosedBeforeItsSendIsFailedOutsideTheLockAndTheSinkIsClosed() {
    ClosingSink sink = new ClosingSink();
    SinkTransport transport = newTransport(new SinkTarget(sink, Selection.topic("t"), null));

    transport.write(List.of("data: x\n\n".getBytes(StandardCharsets.UTF_8)), callback);
    transport.close(CloseReason.UNSUBSCRIBED);
    runPoolTasks();

    assertThat(events).containsExactly("failed: stream closed before the send, holding []");
    assertThat(sink.closed).isTrue();
  }

  @Test
  void aWriteAfterCloseIsFailedOutsideTheLock() {
    SinkTransport transport =
        newTransport(new SinkTarget(new ClosingSink(), Selection.topic("t"), null));
    transport.close(CloseReason.UNSUBSCRIBED);
    transport.write(List.of("data: x\n\n".getBytes(StandardCharsets.UTF_8)), callback);
    runPoolTasks();

    assertThat(events).containsExactly("failed: stream already closed, holding []");
  }

  private void runPoolTasks() {
    for (int i = 0; i < poolTasks.size(); i++) {
      poolTasks.get(i).run();
    }
  }

  /** Returns the monitors this thread holds that ssekit's main code locked. */
  private static List<String> ssekitMonitorsHeld() {
    MonitorInfo[] monitors =
        ManagementFactory.getThreadMXBean()
            .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0]
            .getLockedMonitors();
    List<String> held = new ArrayList<>();
    for (MonitorInfo monitor : monitors) {
      String frame = monitor.getLockedStackFrame().getClassName();
      if (frame.startsWith("org.ssekit.") && !frame.startsWith(SinkTransportTest.class.getName())) {
        held.add(monitor.getClassName() + " locked in " + monitor.getLockedStackFrame());
      }
    }
    return held;
  }

  private static final class ClosingSink implements SseEventSink {
    volatile boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
