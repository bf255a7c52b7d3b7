package org.ssekit.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;

/**
 * An in-memory log whose replay lookups complete only when {@link #release()}d, as a remote log's
 * would: live events published meanwhile are held back by the hub.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class HeldLookupLog implements EventLog {
  private final EventLog delegate = EventLog.inMemory();
  private final List<Runnable> held = new ArrayList<>();

  /** Runs every lookup requested so far. */
  synchronized void release() {
    held.forEach(Runnable::run);
    held.clear();
  }

  /** Returns how many lookups wait for {@link #release()}. */
  synchronized int pending() {
    return held.size();
  }

  @Override
  public synchronized CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    CompletableFuture<Replay> replay = new CompletableFuture<>();
    held.add(
        () ->
            delegate
                .lookUpReplay(topic, lastEventId)
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        replay.completeExceptionally(e);
                      } else {
                        replay.complete(r);
                      }
                    }));
    return replay;
  }

  @Override
  public void start(Sink sink) {
    delegate.start(sink);
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    return delegate.append(topic, event);
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
}
