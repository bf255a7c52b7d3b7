package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Callbacks, close, the publisher's back-pressure and the blocking iterator. */
class ConsumptionTest {
  private static final ReconnectPolicy FAST =
      ReconnectPolicy.builder().reconnectionTime(Duration.ofMillis(50)).build();

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Recorder recorder = new Recorder();
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          4,
          task -> {
            Thread thread = new Thread(task, "callbacks");
            thread.setDaemon(true);
            return thread;
          });

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    executor.shutdownNow();
  }

  private ScriptedServer server(ScriptedServer.Script... scripts) throws Exception {
    ScriptedServer server = new ScriptedServer(scripts);
    resources.add(server);
    return server;
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  @Test
  void callbacksRunOnTheGivenExecutorOneAtATimeInStreamOrder() throws Exception {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      events.append("data: ").append(i).append("\n\n");
    }
    ScriptedServer server = server(x -> x.stream().write(":hi\n" + events).hold());
    track(
        EventSource.builder(server.uri())
            .callbackExecutor(executor)
            .reconnectPolicy(FAST)
            .connect(recorder));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("comment hi");
    for (int i = 0; i < 500; i++) {
      assertThat(recorder.next()).isEqualTo("event message  " + i);
    }
    assertThat(recorder.threads).containsOnly("callbacks");
  }

  @Test
  void closeInsideACallbackEndsTheConnectionAtOnceAndStopsDelivery() throws Exception {
    List<Boolean> clientClosed = new ArrayList<>();
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("data: 1\n\ndata: 2\n\ndata: 3\n\n");
              clientClosed.add(x.awaitClientClose(Duration.ofSeconds(10)));
            });
    Recorder closing =
        new Recorder() {
          @Override
          public void onEvent(EventSource source, ReceivedEvent event) {
            super.onEvent(source, event);
            source.close();
          }
        };
    EventSource source =
        track(EventSource.builder(server.uri()).reconnectPolicy(FAST).connect(closing));

    assertThat(closing.next()).isEqualTo("open");
    assertThat(closing.next()).isEqualTo("event message  1");
    assertThat(closing.next()).isEqualTo("closed");
    await().atMost(Duration.ofSeconds(10)).until(() -> clientClosed.size() == 1);
    assertThat(clientClosed).containsExactly(true);
    assertThat(source.readyState()).isEqualTo(EventSource.ReadyState.CLOSED);
    closing.assertExhausted();
  }

  @Test
  void closeWhileWaitingToReconnectCancelsTheWait() throws Exception {
    ScriptedServer server = server(x -> x.stream().close());
    EventSource source =
        track(
            EventSource.builder(server.uri())
                .reconnectPolicy(
                    ReconnectPolicy.builder().reconnectionTime(Duration.ofMinutes(1)).build())
                .connect(recorder));

    assertThat(recorder.next()).isEqualTo("open");
    assertThat(recorder.next()).isEqualTo("error event stream ended by the server");
    source.close();
    source.close();
    assertThat(recorder.next()).isEqualTo("closed");
    assertThat(source.readyState()).isEqualTo(EventSource.ReadyState.CLOSED);
    recorder.assertExhausted();
  }

  @Test
  void aListenerThatThrowsClosesTheSourceAndHearsWhatItThrew() throws Exception {
    ScriptedServer server = server(x -> x.stream().write("data: boom\n\n").hold());
    Recorder throwing =
        new Recorder() {
          @Override
          public void onEvent(EventSource source, ReceivedEvent event) {
            super.onEvent(source, event);
            throw new IllegalStateException("listener broke");
          }
        };
    track(EventSource.builder(server.uri()).connect(throwing));

    assertThat(throwing.next()).isEqualTo("open");
    assertThat(throwing.next()).isEqualTo("event message  boom");
    assertThat(throwing.next()).isEqualTo("error listener broke");
    assertThat(throwing.next()).isEqualTo("closed");
  }

  @Test
  void aSlowSubscriberSlowsReadingInsteadOfBuffering() throws Exception {
    AtomicLong written = new AtomicLong();
    byte[] event = ("data: " + "x".repeat(1000) + "\n\n").getBytes();
    ScriptedServer server =
        server(
            x -> {
              x.stream();
              for (int i = 0; i < 100_000; i++) { // 100 MB if nothing held it back
                x.write(event);
                written.addAndGet(event.length);
              }
            });
    BlockingQueue<ReceivedEvent> received = new LinkedBlockingQueue<>();
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    EventSource.builder(server.uri())
        .publisher()
        .subscribe(
            new Flow.Subscriber<ReceivedEvent>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(3);
              }

              @Override
              public void onNext(ReceivedEvent item) {
                received.add(item);
              }

              @Override
              public void onError(Throwable throwable) {}

              @Override
              public void onComplete() {}
            });

    for (int i = 0; i < 3; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
    // Without demand the server is held back by TCP: what it wrote stops growing, far below 100 MB.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(new Stalled(written));
    assertThat(written.get()).isLessThan(32L * 1024 * 1024);
    assertThat(received).isEmpty();

    subscription.get().request(5);
    for (int i = 0; i < 5; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
    subscription.get().cancel();
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void thePublisherCompletesAfter204AndFailsWithTheCause() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("data: a\n\n");
              x.close();
            },
            x -> x.status(204).close());
    BlockingQueue<String> signals = new LinkedBlockingQueue<>();
    Flow.Subscriber<ReceivedEvent> subscriber = recordingSubscriber(signals);
    EventSource.builder(server.uri()).reconnectPolicy(FAST).publisher().subscribe(subscriber);

    assertThat(signals.poll(10, TimeUnit.SECONDS)).isEqualTo("next a");
    assertThat(signals.poll(10, TimeUnit.SECONDS)).isEqualTo("complete");

    ScriptedServer failing = server(x -> x.status(500, "Content-Length: 0").close());
    EventSource.builder(failing.uri()).publisher().subscribe(recordingSubscriber(signals));
    assertThat(signals.poll(10, TimeUnit.SECONDS)).isEqualTo("error status not 200: 500");
  }

  @Test
  void theIteratorReadsAcrossReconnectionsAndEndsAfter204() throws Exception {
    ScriptedServer server =
        server(
            x -> {
              x.stream().write("id: 1\ndata: a\n\n");
              x.close();
            },
            x -> {
              x.stream().write("id: 2\ndata: b\n\n");
              x.close();
            },
            x -> x.status(204).close());
    try (EventIterator events =
        EventSource.builder(server.uri()).reconnectPolicy(FAST).iterator()) {
      assertThat(events.next().data()).isEqualTo("a");
      assertThat(events.next().data()).isEqualTo("b");
      assertThat(events.hasNext()).isFalse();
      assertThat(events.source().lastEventId()).isEqualTo("2");
    }
  }

  @Test
  void theIteratorThrowsTheCauseWhenTheSourceFails() throws Exception {
    ScriptedServer server = server(x -> x.status(404, "Content-Length: 0").close());
    try (EventIterator events = EventSource.builder(server.uri()).iterator()) {
      assertThatThrownBy(events::hasNext)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("status not 200: 404");
    }
  }

  private static Flow.Subscriber<ReceivedEvent> recordingSubscriber(BlockingQueue<String> out) {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ReceivedEvent item) {
        out.add("next " + item.data());
      }

      @Override
      public void onError(Throwable throwable) {
        out.add("error " + throwable.getMessage());
      }

      @Override
      public void onComplete() {
        out.add("complete");
      }
    };
  }

  /** True once a counter has not moved since the previous poll. */
  private static final class Stalled implements java.util.concurrent.Callable<Boolean> {
    private final AtomicLong counter;
    private long previous = -1;

    Stalled(AtomicLong counter) {
      this.counter = counter;
    }

    @Override
    public Boolean call() {
      long now = counter.get();
      boolean stalled = now == previous && now > 0;
      previous = now;
      return stalled;
    }
  }
}
