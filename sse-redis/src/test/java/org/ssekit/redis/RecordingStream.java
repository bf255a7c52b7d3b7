package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ssekit.CloseReason;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.WriteCallback;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * One subscriber's stream as a browser would see it: a {@link SseTransport} whose writes complete
 * at once and are parsed with the core parser, plus the listener's calls.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RecordingStream implements SseTransport, SseListener {
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final List<ReceivedEvent> events = new ArrayList<>();
  // @GuardedBy("lock")
  private final EventStreamParser parser =
      new EventStreamParser(
          new EventStreamParser.Handler() {
            @Override
            public void onEvent(ReceivedEvent event) {
              events.add(event);
            }
          });
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile CloseReason closeReason;
  private volatile int writes;
  private volatile Subscription subscription;

  /** Subscribes a new recording stream to {@code topic} of {@code hub}. */
  static RecordingStream subscribe(SseHub hub, String topic, String lastEventId) {
    RecordingStream stream = new RecordingStream();
    stream.subscription = hub.subscribe(topic, lastEventId, stream, stream);
    return stream;
  }

  /** Subscribes a new recording stream to {@code selection} of {@code hub}. */
  static RecordingStream subscribe(SseHub hub, Selection selection, String lastEventId) {
    RecordingStream stream = new RecordingStream();
    stream.subscription = hub.subscribe(selection, lastEventId, stream, stream);
    return stream;
  }

  /** Subscribes to {@code selection} and waits until the stream is open. */
  static RecordingStream open(SseHub hub, Selection selection, String lastEventId)
      throws InterruptedException {
    RecordingStream stream = subscribe(hub, selection, lastEventId);
    stream.awaitOpen();
    return stream;
  }

  /** Subscribes and waits until the stream is open. */
  static RecordingStream open(SseHub hub, String topic, String lastEventId)
      throws InterruptedException {
    RecordingStream stream = subscribe(hub, topic, lastEventId);
    stream.awaitOpen();
    return stream;
  }

  @Override
  public void write(List<byte[]> chunks, WriteCallback callback) {
    synchronized (lock) {
      writes++;
      for (byte[] chunk : chunks) {
        parser.feed(chunk, 0, chunk.length);
      }
    }
    callback.succeeded();
  }

  @Override
  public void close(CloseReason reason) {
    closeReason = reason;
    closed.countDown();
  }

  @Override
  public void onOpen(Subscription subscription) {
    opened.countDown();
  }

  void awaitOpen() throws InterruptedException {
    assertThat(opened.await(10, TimeUnit.SECONDS)).as("stream opened within 10 s").isTrue();
  }

  /** Waits until at least {@code count} events arrived and returns all of them. */
  List<ReceivedEvent> awaitEvents(int count) {
    await().atMost(Duration.ofSeconds(15)).until(() -> events().size() >= count);
    return events();
  }

  /** Waits until the events' data are exactly {@code expected}, failing on any other content. */
  void awaitData(List<String> expected) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(data()).hasSizeGreaterThanOrEqualTo(expected.size()));
    assertThat(data()).isEqualTo(expected);
  }

  List<ReceivedEvent> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  List<String> data() {
    return events().stream().map(ReceivedEvent::data).toList();
  }

  /** Returns the events' ids (each event's last event id). */
  List<String> ids() {
    return events().stream().map(ReceivedEvent::lastEventId).toList();
  }

  /** Returns "type:data" of each event, so that gap notices show. */
  List<String> typedData() {
    return events().stream().map(event -> event.type() + ":" + event.data()).toList();
  }

  CloseReason awaitClose() throws InterruptedException {
    assertThat(closed.await(15, TimeUnit.SECONDS)).as("stream closed within 15 s").isTrue();
    return closeReason;
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  int writes() {
    return writes;
  }

  Subscription subscription() {
    return subscription;
  }
}
