package org.ssekit.spring.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ssekit.HubStats;
import org.ssekit.SseHub;

/**
 * The health of the application's hub, independent of Boot's health API (which Boot 4 moved to
 * another package): up while the hub is open and its log can work (for a Redis log: while Redis is
 * reachable, see {@link LogHealth}), with its name, state, current subscriber and topic counts and
 * the log's details. Boot 3 and Boot 4 each have a thin indicator over it.
 *
 * <p>Whether the hub is open is known from its {@link HubLifecycle}: {@link SseHub} has no accessor
 * for it, and the starter closes the hub only through that lifecycle.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class HubHealth {
  private final SseHub hub;
  private final HubLifecycle lifecycle;
  private final LogHealth log;

  /**
   * Creates the health of {@code hub}, open while {@code lifecycle} runs, on a log whose health is
   * {@code log} ({@link LogHealth#NONE} for the in-memory log).
   *
   * @throws NullPointerException if an argument is null
   */
  public HubHealth(SseHub hub, HubLifecycle lifecycle, LogHealth log) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Returns true while the hub is open and its log can work. */
  public boolean isUp() {
    return lifecycle.isRunning() && log.isUp();
  }

  /**
   * Returns the details to show: hub name, state, subscribers and topics, and the log's (for Redis:
   * whether it is reachable, and if not why and for how long).
   */
  public Map<String, Object> details() {
    HubStats stats = hub.stats();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("hub", hub.config().name());
    details.put("state", lifecycle.isRunning() ? "open" : "closed");
    details.put("subscribers", stats.subscribers());
    details.put("topics", stats.topics());
    log.addDetails(details);
    return details;
  }
}
