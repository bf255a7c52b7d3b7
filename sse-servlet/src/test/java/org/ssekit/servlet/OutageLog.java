package org.ssekit.servlet;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;

/**
 * An in-memory log that can be made unreachable: while {@link #down} is set, replay lookups and
 * appends fail as a storage outage would (a subscriber's replay lookup fails before its first
 * byte).
 */
public final class OutageLog implements EventLog {
  private final EventLog delegate = EventLog.inMemory();
  private volatile boolean down;

  /** Makes the log unreachable ({@code true}) or reachable again. */
  public void down(boolean down) {
    this.down = down;
  }

  @Override
  public void start(Sink sink) {
    delegate.start(sink);
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    return down ? CompletableFuture.failedFuture(unreachable()) : delegate.append(topic, event);
  }

  @Override
  public CompletionStage<Replay> open(String topic, String lastEventId) {
    return down ? CompletableFuture.failedFuture(unreachable()) : delegate.open(topic, lastEventId);
  }

  @Override
  public int compare(String a, String b) {
    return delegate.compare(a, b);
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    return delegate.closeTopic(topic);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static IOException unreachable() {
    return new IOException("log unreachable (test outage)");
  }
}
