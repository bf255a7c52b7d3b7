package org.ssekit.interop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseListener;
import org.ssekit.Subscription;

/**
 * Events that a scenario has the server send to one connection of its topic when it opens, with
 * {@link Subscription#offer(ServerSentEvent)} from {@link SseListener#onOpen}: the public API for
 * events that bypass the topic's log, and so the only one that sends an event without an id, or
 * with an id the scenario chooses (such as the empty id that resets the client's last event id).
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class OpeningOffers {
  private final Map<String, Map<Integer, List<ServerSentEvent>>> byTopic =
      new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

  /**
   * Has the {@code connection}-th connection (from 0) of {@code topic} receive {@code events}
   * first.
   */
  void offer(String topic, int connection, List<ServerSentEvent> events) {
    byTopic
        .computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
        .put(connection, List.copyOf(events));
  }

  /** Returns the listener that offers the events of {@code topic}'s connections. */
  SseListener listenerFor(String topic) {
    return new SseListener() {
      @Override
      public void onOpen(Subscription subscription) {
        int connection = opened.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
        List<ServerSentEvent> events =
            byTopic.getOrDefault(topic, Map.of()).getOrDefault(connection, List.of());
        for (ServerSentEvent event : events) {
          subscription.offer(event);
        }
      }
    };
  }
}
