package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener that records each call as a line ({@code open}, {@code event <type> <id> <data>},
 * {@code comment <text>}, {@code error <message>}, {@code closed}), checks that calls never
 * overlap, and remembers the threads and error causes.
 */
class Recorder implements EventSourceListener {
  private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
  private final AtomicInteger active = new AtomicInteger();
  final List<String> threads = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final List<EventSource.ReadyState> statesAtError = new CopyOnWriteArrayList<>();

  /** Returns the next call, or fails after 10 s. */
  String next() throws InterruptedException {
    String call = calls.poll(10, TimeUnit.SECONDS);
    assertThat(call).as("a listener call within 10 s").isNotNull();
    return call;
  }

  /** Returns the next call that is not a comment. */
  String nextIgnoringComments() throws InterruptedException {
    String call;
    do {
      call = next();
    } while (call.startsWith("comment"));
    return call;
  }

  void assertExhausted() {
    assertThat(calls).isEmpty();
  }

  private void record(String call) {
    if (active.incrementAndGet() != 1) {
      calls.add("OVERLAP");
    }
    threads.add(Thread.currentThread().getName());
    calls.add(call);
    active.decrementAndGet();
  }

  @Override
  public void onOpen(EventSource source) {
    record("open");
  }

  @Override
  public void onEvent(EventSource source, ReceivedEvent event) {
    record("event " + event.type() + " " + event.lastEventId() + " " + event.data());
  }

  @Override
  public void onComment(EventSource source, String comment) {
    record("comment " + comment);
  }

  @Override
  public void onError(EventSource source, Throwable cause) {
    errors.add(cause);
    statesAtError.add(source.readyState());
    record("error " + cause.getMessage());
  }

  @Override
  public void onClosed(EventSource source) {
    record("closed");
  }
}
