package org.ssekit.testkit;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;

/**
 * An in-memory log that can be made unreachable: while {@link #down} is set, replay lookups and
 * appends fail as a storage outage would (a subscriber's replay lookup fails before its first
 * byte): at once, or, when {@linkplain #late late}, 100 ms later on another thread, as a remote
 * store's timeout does (the adapter has answered the request as a stream by then).
 */
public final class OutageLog implements EventLog {
  private final EventLog delegate = EventLog.inMemory();
  private volatile boolean down;
  private volatile boolean late;

  /** Makes the log unreachable ({@code true}) or reachable again. */
  public void down(boolean down) {
    this.down = down;
  }

  /** Makes failures come 100 ms late, on another thread ({@code true}), or at once. */
  public void late(boolean late) {
    this.late = late;
  }

  @Override
  public void start(Sink sink) {
    delegate.start(sink);
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    return down ? failure() : delegate.append(topic, event);
  }

  @Override
  public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    return down ? failure() : delegate.lookUpReplay(topic, lastEventId);
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

  private <T> CompletionStage<T> failure() {
    IOException unreachable = new IOException("log unreachable (test outage)");
    if (!late) {
      return CompletableFuture.failedFuture(unreachable);
    }
    CompletableFuture<T> failed = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
        .execute(() -> failed.completeExceptionally(unreachable));
    return failed;
  }
}
