package org.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ssekit.RecordingTransport.Mode;

/**
 * A log that reports lost events ({@link EventLog.Sink#onEventsLost()}) makes the hub tell every
 * stream it holds, in order: open streams at once, streams still looking up their replay when they
 * go live, selections as single topics.
 */
class LogLossTest {
  private static final String LOST = SseHub.GAP_EVENT_TYPE + ":log-lost-events";

  private final OpenHubs hubs = new OpenHubs();

  @AfterEach
  void tearDown() {
    hubs.close();
  }

  /** The held-lookup log of {@link ReplayTest}, which also keeps its sink to report a loss. */
  static final class LossyLog extends ReplayTest.HeldOpenLog {
    private volatile Sink sink;

    private final EventLog memory;

    LossyLog() {
      this(EventLog.inMemory());
    }

    private LossyLog(EventLog memory) {
      super(memory);
      this.memory = memory;
    }

    private EventLog delegate() {
      return memory;
    }

    @Override
    public void start(Sink sink) {
      this.sink = sink;
      super.start(sink);
    }

    @Override
    public boolean supportsSelections() {
      return true;
    }

    @Override
    public CompletionStage<Replay> lookUpReplay(Selection selection, String lastEventId) {
      return delegate().lookUpReplay(selection, lastEventId);
    }

    void reportLoss() {
      sink.onEventsLost();
    }
  }

  @Test
  void openStreamsGetTheGapNoticeBetweenTheEventsBeforeAndAfterTheLoss() throws Exception {
    LossyLog log = new LossyLog();
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    RecordingTransport single = new RecordingTransport(Mode.SYNC);
    RecordingTransport selection = new RecordingTransport(Mode.SYNC);
    RecordingListener singleListener = new RecordingListener();
    RecordingListener selectionListener = new RecordingListener();
    hub.subscribe("t", null, single, singleListener);
    hub.subscribe(Selection.of("t", "u/*"), null, selection, selectionListener);
    log.release();
    singleListener.takeOpen();
    selectionListener.takeOpen();
    hub.publish("t", ServerSentEvent.of("before")).toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(5)).until(() -> selection.data().contains("before"));

    log.reportLoss();
    hub.publish("t", ServerSentEvent.of("after")).toCompletableFuture().join();

    for (RecordingTransport transport : List.of(single, selection)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("after"));
      assertThat(typed(transport)).containsExactly("message:before", LOST, "message:after");
    }
    assertThat(hub.stats().gapNotices()).isEqualTo(2);
  }

  @Test
  void aStreamLookingUpItsReplayGetsTheGapNoticeWhenItGoesLive() throws Exception {
    LossyLog log = new LossyLog();
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    String first = hub.publish("t", ServerSentEvent.of("e1")).toCompletableFuture().join();
    hub.publish("t", ServerSentEvent.of("e2")).toCompletableFuture().join();
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", first, transport, listener);

    log.reportLoss(); // the lookup is held: the replay may or may not cover what was lost
    log.release();
    listener.takeOpen();
    hub.publish("t", ServerSentEvent.of("live")).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("live"));
    assertThat(typed(transport)).containsExactly("message:e2", LOST, "message:live");
  }

  @Test
  void withoutALossNoStreamGetsANotice() throws Exception {
    LossyLog log = new LossyLog();
    SseHub hub = hubs.build(hubs.builder().eventLog(log));
    RecordingTransport transport = new RecordingTransport(Mode.SYNC);
    RecordingListener listener = new RecordingListener();
    hub.subscribe("t", null, transport, listener);
    log.release();
    listener.takeOpen();
    hub.publish("t", ServerSentEvent.of("a")).toCompletableFuture().join();
    hub.publish("t", ServerSentEvent.of("b")).toCompletableFuture().join();

    await().atMost(Duration.ofSeconds(5)).until(() -> transport.data().contains("b"));
    assertThat(typed(transport)).containsExactly("message:a", "message:b");
    assertThat(hub.stats().gapNotices()).isZero();
  }

  private static List<String> typed(RecordingTransport transport) {
    return transport.events().stream().map(event -> event.type() + ":" + event.data()).toList();
  }
}
