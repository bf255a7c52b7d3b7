package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;

/**
 * An {@link EventLog.Sink} that records what a log reports, in order, and checks that calls never
 * overlap.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class RecordingSink implements EventLog.Sink {
  private final BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
  private final List<LoggedEvent> appended = new CopyOnWriteArrayList<>();
  private final AtomicBoolean inCall = new AtomicBoolean();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  /** A topic reported closed. */
  record Closed(String topic) {}

  @Override
  public void onAppended(LoggedEvent event) {
    enter();
    appended.add(event);
    reports.add(event);
    inCall.set(false);
  }

  @Override
  public void onTopicClosed(String topic) {
    enter();
    reports.add(new Closed(topic));
    inCall.set(false);
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      violations.add("sink called concurrently");
    }
  }

  /** Takes the next report (a {@link LoggedEvent} or a {@link Closed}), waiting up to 10 s. */
  Object take() throws InterruptedException {
    Object report = reports.poll(10, TimeUnit.SECONDS);
    assertThat(report).as("a report within 10 s").isNotNull();
    return report;
  }

  /** Returns every event reported so far, in order. */
  List<LoggedEvent> appended() {
    return List.copyOf(appended);
  }

  /** Asserts that nothing is left unread and calls never overlapped. */
  void assertExhausted() {
    assertThat(reports).as("unread reports").isEmpty();
    assertThat(violations).isEmpty();
  }
}
